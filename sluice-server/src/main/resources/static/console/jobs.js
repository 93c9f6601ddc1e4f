// The jobs of the account, newest first, with their state and progress; refreshed while any is running.
import {api} from './api.js';
import {badge, count, h, progressBar, when} from './dom.js';
import {showError} from './errors.js';
import {preflightPanel} from './preflight.js';

const PAGE = 25;
const REFRESH_MS = 3000;

export async function jobsPage({view, signal}) {
  const list = h('div', {class: 'jobs', id: 'jobs'});
  const more = h('button', {type: 'button', class: 'secondary', hidden: true}, 'More');
  view.append(
      h('div', {class: 'row spread'}, h('h1', {}, 'Jobs'), h('a', {class: 'button', href: '#/new'}, 'New job')),
      list, h('div', {class: 'pager'}, more));

  let cursor = null;
  const shown = new Map();

  async function loadMore() {
    const query = cursor ? '&cursor=' + encodeURIComponent(cursor) : '';
    const page = await api(`/jobs?limit=${PAGE}${query}`, {signal});
    page.items.forEach(upsert);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    if (shown.size === 0) {
      list.replaceChildren(h('p', {class: 'card muted', id: 'no-jobs'},
          'No jobs yet. ', h('a', {href: '#/new'}, 'Start one'), ' by uploading a file.'));
    }
  }

  /** Reads the newest page again: new jobs go on top, shown ones are updated in place. */
  async function refresh() {
    const page = await api(`/jobs?limit=${PAGE}`, {signal});
    page.items.forEach(upsert);
  }

  function upsert(job) {
    const bar = progressBar('progress of ' + job.name);
    bar.set(job.progress);
    const row = h('a', {class: 'card job-row', href: '#/jobs/' + job.id, 'data-job': job.id},
        h('span', {class: 'name'}, job.name),
        h('span', {class: 'muted'}, job.operation),
        h('span', {}, badge(job.state)),
        h('span', {class: 'progress-cell'}, bar.element,
            h('span', {class: 'hint'}, `${count(job.records.processed)} of ${count(job.records.total)} records`)),
        h('span', {class: 'when muted'}, when(job.created_at)));
    const old = shown.get(job.id);
    if (old) {
      old.replaceWith(row);
    } else if (shown.size === 0) {
      list.replaceChildren(h('div', {class: 'job-row job-head', 'aria-hidden': 'true'},
          h('span', {}, 'Name'), h('span', {}, 'Operation'), h('span', {}, 'State'), h('span', {}, 'Progress'),
          h('span', {}, 'Created')), row);
    } else if (job.id > [...shown.keys()][0]) {
      // a job created since the last look (ids sort by time): on top
      list.children[0].after(row);
    } else {
      list.append(row);
    }
    shown.set(job.id, row);
    row.dataset.state = job.state;
  }

  more.addEventListener('click', () => loadMore().catch(showError));
  await loadMore();
  const preflight = await preflightPanel(signal);
  if (preflight) {
    view.append(preflight);
  }

  // while something runs, look again now and then (the job page itself streams live)
  const timer = setInterval(() => {
    if ([...shown.values()].some((row) => row.dataset.state === 'in_progress')) {
      refresh().catch(showError);
    }
  }, REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer), {once: true});
}
