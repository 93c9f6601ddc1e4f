// The node's preflight checks (resolver, SMTP egress, HELO name, blocklists), shown to an admin key only:
// any other key gets 403 from the API and sees no panel.
import {api} from './api.js';
import {badge, fill, h, when} from './dom.js';
import {showError} from './errors.js';

const NAMES = {
  resolver: 'Resolver',
  smtp_egress: 'SMTP egress',
  helo_name: 'HELO name',
  blocklists: 'Blocklists',
};

/** Answers the panel, or null when the key may not read the checks. */
export async function preflightPanel(signal) {
  let report;
  try {
    report = await api('/verify/preflight', {signal});
  } catch (error) {
    if (error.status === 403) {
      return null;
    }
    throw error;
  }
  const list = h('ul', {class: 'checks'});
  const state = h('span', {});
  const checkNow = h('button', {type: 'button', class: 'secondary', id: 'preflight-run'}, 'Check now');
  const panel = h('section', {class: 'card preflight', id: 'preflight'},
      h('div', {class: 'row spread'}, h('h2', {}, 'Preflight ', state), checkNow), list);

  function show(current) {
    fill(state, badge(current.state));
    panel.dataset.state = current.state;
    fill(list, current.checks.map((check) => h('li', {'data-check': check.name, 'data-status': check.status},
        badge(check.status), h('strong', {}, NAMES[check.name] || check.name),
        h('span', {class: 'message'}, check.message),
        h('span', {class: 'hint'}, when(check.checked_at)))));
  }

  checkNow.addEventListener('click', async () => {
    checkNow.disabled = true;
    try {
      show(await api('/verify/preflight', {method: 'POST', signal}));
    } catch (error) {
      showError(error);
    } finally {
      checkNow.disabled = false;
    }
  });
  show(report);
  return panel;
}
