// The console's shell: hash routes, the navigation and sign-out.
import {session} from './api.js';
import {clearError, showError} from './errors.js';
import {signInPage} from './signin.js';
import {jobsPage} from './jobs.js';
import {newJobPage} from './new-job.js';
import {jobPage} from './job.js';
import {datasetPage, datasetsPage} from './datasets.js';

const routes = [
  {pattern: /^#\/signin$/, page: signInPage, section: null, open: true},
  {pattern: /^#\/jobs$/, page: jobsPage, section: 'jobs'},
  {pattern: /^#\/new$/, page: newJobPage, section: 'new'},
  {pattern: /^#\/jobs\/([^/]+)$/, page: jobPage, section: 'jobs'},
  {pattern: /^#\/datasets$/, page: datasetsPage, section: 'datasets'},
  {pattern: /^#\/datasets\/([^/]+)$/, page: datasetPage, section: 'datasets'},
];

const view = document.getElementById('view');
let leave = null;

function render() {
  leave?.();
  leave = null;
  clearError();
  const hash = location.hash || '#/jobs';
  const route = routes.find((r) => r.pattern.test(hash));
  if (!route) {
    location.replace('#/jobs');
    return;
  }
  if (!route.open && !session.key) {
    location.replace('#/signin');
    return;
  }
  document.getElementById('nav').hidden = !session.key;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('current', link.dataset.section === route.section);
  }
  const controller = new AbortController();
  leave = () => controller.abort();
  const params = hash.match(route.pattern).slice(1).map(decodeURIComponent);
  view.replaceChildren();
  window.scrollTo(0, 0);
  Promise.resolve(route.page({view, params, signal: controller.signal})).catch(showError);
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/signin';
});
document.querySelector('#error .problem-close').addEventListener('click', clearError);
window.addEventListener('hashchange', render);
render();
