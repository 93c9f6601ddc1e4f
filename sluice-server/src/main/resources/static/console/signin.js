// Sign in: the API key is checked against the API once, then kept in sessionStorage for this tab.
import {api, session} from './api.js';
import {h} from './dom.js';
import {clearError, showError} from './errors.js';

export function signInPage({view}) {
  const input = h('input', {type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off',
    placeholder: 'sk_live_…', required: true});
  const button = h('button', {type: 'submit', id: 'sign-in'}, 'Sign in');
  const form = h('form', {class: 'card signin', onsubmit: async (event) => {
    event.preventDefault();
    clearError();
    button.disabled = true;
    session.signIn(input.value.trim());
    try {
      await api('/jobs?limit=1');
      location.hash = '#/jobs';
    } catch (error) {
      session.signOut();
      showError(error);
      button.disabled = false;
      input.select();
    }
  }},
  h('h1', {}, 'Sign in'),
  h('p', {class: 'muted'}, 'Enter an API key of your account. It is kept in this browser tab only.'),
  h('div', {class: 'field'}, h('label', {for: 'api-key'}, 'API key'), input),
  button);
  view.append(form);
  input.focus();
}
