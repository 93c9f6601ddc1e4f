// Datasets: the list, then one dataset's schema and its records, a page at a time, and its export.
import {api} from './api.js';
import {count, h, when} from './dom.js';
import {showError} from './errors.js';

const PAGE = 50;
const EXPORT_FORMATS = ['csv', 'json', 'ndjson', 'xml'];

export async function datasetsPage({view, signal}) {
  const datasets = (await api('/datasets', {signal})).items;
  view.append(h('h1', {}, 'Datasets'));
  if (datasets.length === 0) {
    view.append(h('p', {class: 'card muted'}, 'No dataset yet. Create one with POST /api/v1/datasets ',
        '(see ', h('a', {href: '/api/docs'}, 'the API docs'), '), then import files into it from ',
        h('a', {href: '#/new'}, 'a new job'), '.'));
    return;
  }
  view.append(h('div', {class: 'table-wrap'}, h('table', {id: 'datasets', class: 'stack'},
      h('thead', {}, h('tr', {}, ['Name', 'Columns', 'Key', 'Created'].map((c) => h('th', {}, c)))),
      h('tbody', {}, datasets.map((d) => h('tr', {'data-dataset': d.name},
          h('td', {'data-label': 'Name'}, h('a', {href: '#/datasets/' + encodeURIComponent(d.name)}, d.name)),
          h('td', {'data-label': 'Columns'}, h('span', {}, d.columns.map((c) => c.name).join(', '))),
          h('td', {'data-label': 'Key'}, h('span', {}, d.key.join(', '))),
          h('td', {'data-label': 'Created'}, h('span', {}, when(d.created_at)))))))));
}

export async function datasetPage({view, params: [name], signal}) {
  const path = '/datasets/' + encodeURIComponent(name);
  const dataset = await api(path, {signal});
  const keys = new Set(dataset.key);
  const columns = dataset.columns.map((c) => c.name);

  const body = h('tbody', {});
  const previous = h('button', {type: 'button', class: 'secondary', disabled: true}, 'Previous');
  const next = h('button', {type: 'button', class: 'secondary', disabled: true}, 'Next');
  const where = h('span', {class: 'hint', id: 'records-page'});
  const format = h('select', {id: 'export-format', 'aria-label': 'export format'},
      EXPORT_FORMATS.map((f) => h('option', {value: f}, f)));
  const exportButton = h('button', {type: 'button', id: 'export-dataset'}, 'Export');
  exportButton.addEventListener('click', () => exportDataset().catch(showError));

  // an export job of the whole dataset; its page shows the progress and offers the zipped file
  async function exportDataset() {
    exportButton.disabled = true;
    try {
      const job = await api('/jobs', {method: 'POST', json: {name: 'export ' + dataset.name, operation: 'export',
        output_format: format.value, options: {dataset: dataset.name}}});
      location.hash = '#/jobs/' + encodeURIComponent(job.id);
    } finally {
      exportButton.disabled = false;
    }
  }

  const records = dataset.records === 1 ? '1 record' : `${count(dataset.records)} records`;
  view.append(
      h('p', {}, h('a', {href: '#/datasets'}, '← Datasets')),
      h('h1', {id: 'dataset-name'}, dataset.name),
      h('p', {class: 'muted', id: 'dataset-count'}, `${records} · created ${when(dataset.created_at)}`),
      h('div', {class: 'row'}, format, exportButton,
          h('span', {class: 'hint'}, 'a zipped file to download, also placed in the account\'s SFTP drop')),
      h('h2', {}, 'Schema'),
      h('div', {class: 'table-wrap'}, h('table', {id: 'schema'},
          h('thead', {}, h('tr', {}, ['Column', 'Type', 'Required', 'Key'].map((c) => h('th', {}, c)))),
          h('tbody', {}, dataset.columns.map((c) => h('tr', {},
              h('td', {}, c.name), h('td', {}, c.type), h('td', {}, c.required ? 'yes' : ''),
              h('td', {}, keys.has(c.name) ? 'yes' : '')))))),
      h('h2', {}, 'Records'),
      h('div', {class: 'table-wrap'}, h('table', {id: 'records'},
          h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))), body)),
      h('div', {class: 'row pager'}, previous, next, where));

  // cursors of the pages seen so far, so that Previous can go back
  const cursors = [null];
  let at = 0;
  let nextCursor = null;

  async function show(index) {
    const cursor = cursors[index];
    const page = await api(`${path}/records?limit=${PAGE}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`,
        {signal});
    at = index;
    nextCursor = page.next_cursor;
    cursors[index + 1] = nextCursor;
    body.replaceChildren(...page.items.map((record) => h('tr', {},
        columns.map((c) => h('td', {}, record[c] === null || record[c] === undefined ? '' : String(record[c]))))));
    if (page.items.length === 0) {
      body.append(h('tr', {}, h('td', {colspan: columns.length, class: 'muted'}, 'No records.')));
    }
    previous.disabled = at === 0;
    next.disabled = !nextCursor;
    where.textContent = page.items.length === 0 ? '' : `records ${count(at * PAGE + 1)} to ${count(at * PAGE + page.items.length)}`;
  }

  previous.addEventListener('click', () => show(at - 1).catch(showError));
  next.addEventListener('click', () => show(at + 1).catch(showError));
  await show(0);
}
