// The one place failures are shown: the problem details' title and detail in the banner under the header.
import {ApiError, session} from './api.js';

const box = document.getElementById('error');

/** Shows a failure; a key the server no longer takes sends the user back to sign in, saying why. */
export function showError(error) {
  if (error?.name === 'AbortError') {
    return;
  }
  if (error instanceof ApiError && error.status === 401 && location.hash !== '#/signin') {
    session.signOut();
    location.hash = '#/signin';
    // the sign-in page clears the banner when it renders (on hashchange): say why after that
    setTimeout(() => showError(error), 0);
    return;
  }
  box.querySelector('.problem-title').textContent = error instanceof ApiError ? error.title : 'Something went wrong';
  box.querySelector('.problem-detail').textContent = error instanceof ApiError ? error.detail
      : String(error?.message ?? error);
  box.hidden = false;
}

export function clearError() {
  box.hidden = true;
}
