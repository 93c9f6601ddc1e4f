// A new job: the operation and its options, then files dropped on the page (or chosen) uploaded as batches.
import {api, ApiError, uploadFile} from './api.js';
import {count, h} from './dom.js';
import {clearError, showError} from './errors.js';
import {startUploads} from './uploads.js';

const OPERATIONS = {
  verify: 'Verify every email address: valid, invalid, accept_all or unknown.',
  import: 'Load the records into a dataset, all or nothing under an error threshold.',
  append: 'Add dataset columns (such as email) to each record that matches one in a dataset.',
};

export async function newJobPage({view, signal}) {
  const datasets = (await api('/datasets', {signal})).items;
  let files = [];

  const name = h('input', {type: 'text', id: 'job-name', name: 'name', maxlength: 200,
    value: 'Upload ' + new Date().toLocaleString()});
  const operations = Object.entries(OPERATIONS).map(([operation, help]) => h('label', {},
      h('input', {type: 'radio', name: 'operation', value: operation, id: 'op-' + operation,
        checked: operation === 'verify', onchange: () => showOptions()}),
      operation, h('span', {class: 'hint'}, help)));
  const outputFormat = select('output-format', [['csv', 'CSV'], ['json', 'JSON'], ['ndjson', 'NDJSON']]);
  const formatField = field('output-format', 'Result format', outputFormat);

  // import options
  const importDataset = datasetSelect('import-dataset');
  const importType = select('import-type', [['update', 'update: change the mapped columns of existing records'],
    ['ignore', 'ignore: keep existing records'], ['replace', 'replace: rewrite existing records whole']]);
  const threshold = h('input', {type: 'text', id: 'error-threshold', value: '0', inputmode: 'decimal'});
  const headers = h('input', {type: 'checkbox', id: 'import-headers', checked: true});
  const separator = select('import-separator', [['', 'detect'], [',', 'comma'], ['\t', 'tab'], [';', 'semicolon'],
    ['|', 'pipe']]);
  const importOptions = h('fieldset', {id: 'import-options', hidden: true}, h('legend', {}, 'Import'),
      field('import-dataset', 'Dataset', importDataset),
      field('import-type', 'Existing records', importType),
      field('error-threshold', 'Error threshold', threshold,
          h('span', {class: 'hint'}, 'Most failed records before nothing is imported: a count (0 = no limit) or a '
              + 'percentage such as 5%.')),
      h('div', {class: 'field'}, h('label', {}, headers, ' The first row holds column names')),
      field('import-separator', 'Separator', separator));

  // append options: the chosen dataset's columns as checkboxes
  const appendDataset = datasetSelect('append-dataset');
  const matchColumns = h('div', {class: 'choices', id: 'append-match'});
  const fieldColumns = h('div', {class: 'choices', id: 'append-fields'});
  const appendOptions = h('fieldset', {id: 'append-options', hidden: true}, h('legend', {}, 'Append'),
      field('append-dataset', 'Dataset', appendDataset),
      h('div', {class: 'field'}, h('span', {class: 'label'}, h('strong', {}, 'Match on')),
          h('span', {class: 'hint'}, 'Columns present in your file and in the dataset.'), matchColumns),
      h('div', {class: 'field'}, h('span', {class: 'label'}, h('strong', {}, 'Add')), fieldColumns));
  appendDataset.addEventListener('change', showColumns);

  // the files: drop them on the zone or pick them
  const input = h('input', {type: 'file', id: 'file-input', name: 'file', multiple: true,
    accept: '.csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values'});
  const chosen = h('ul', {class: 'files', id: 'chosen-files'});
  const zone = h('div', {class: 'dropzone', id: 'dropzone'},
      h('strong', {}, 'Drop CSV files here'), h('div', {class: 'hint'}, 'or choose them:'), input, chosen);
  input.addEventListener('change', () => choose([...input.files]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    choose([...event.dataTransfer.files]);
  });

  const start = h('button', {type: 'submit', id: 'start-job'}, 'Start job');
  // a verify can be quoted first: an estimate job runs every check but SMTP on the same files
  const estimateFirst = h('button', {type: 'button', id: 'estimate-first', class: 'secondary', onclick: () => {
    quote().catch((error) => {
      estimateFirst.disabled = false;
      showError(error);
    });
  }}, 'Estimate first');
  const estimates = h('div', {id: 'estimates'});
  const status = h('p', {class: 'muted', id: 'job-status', 'aria-live': 'polite'});
  const form = h('form', {class: 'card', onsubmit: (event) => {
    event.preventDefault();
    submit().catch((error) => {
      start.disabled = false;
      showError(error);
    });
  }},
  field('job-name', 'Name', name),
  h('fieldset', {}, h('legend', {}, 'Operation'), h('div', {class: 'operations'}, operations)),
  formatField, importOptions, appendOptions,
  h('div', {class: 'field'}, zone), estimates, h('div', {class: 'actions'}, start, estimateFirst), status);
  view.append(h('h1', {}, 'New job'), form);
  showOptions();
  showColumns();

  function operation() {
    return form.querySelector('input[name=operation]:checked').value;
  }

  function showOptions() {
    const op = operation();
    importOptions.hidden = op !== 'import';
    appendOptions.hidden = op !== 'append';
    formatField.hidden = op === 'import';
    estimateFirst.hidden = op !== 'verify';
    if ((op === 'import' || op === 'append') && datasets.length === 0) {
      showError(new ApiError(0, 'No dataset yet',
          'create one with POST /api/v1/datasets (see the API docs at /api/docs), then come back.'));
    } else {
      clearError();
    }
  }

  function showColumns() {
    const dataset = datasets.find((d) => d.name === appendDataset.value);
    const columns = dataset ? dataset.columns.map((c) => c.name) : [];
    const key = new Set(dataset ? dataset.key : []);
    // by default: match on the dataset's key, add its email column
    matchColumns.replaceChildren(...columns.map((c) => checkbox('match', c, key.has(c))));
    fieldColumns.replaceChildren(...columns.map((c) => checkbox('field', c, c === 'email' && !key.has(c))));
  }

  function choose(list) {
    files = list;
    chosen.replaceChildren(...files.map((file) => h('li', {}, `${file.name} (${count(file.size)} bytes)`)));
  }

  async function submit() {
    clearError();
    if (files.length === 0) {
      throw new ApiError(0, 'No file', 'choose or drop at least one file first.');
    }
    start.disabled = true;
    const op = operation();
    const job = {name: name.value.trim(), operation: op};
    if (op !== 'import') {
      job.output_format = outputFormat.value;
    }
    if (op === 'import') {
      const limit = threshold.value.trim();
      job.options = {dataset: importDataset.value, importType: importType.value,
        errorThreshold: limit.endsWith('%') ? limit : Number(limit || 0),
        source: {headers: headers.checked, ...(separator.value ? {separator: separator.value} : {})}};
    } else if (op === 'append') {
      job.options = {dataset: appendDataset.value,
        match: [...matchColumns.querySelectorAll('input:checked')].map((i) => i.value),
        fields: [...fieldColumns.querySelectorAll('input:checked')].map((i) => i.value)};
    }
    status.textContent = 'Creating the job…';
    const created = await api('/jobs', {method: 'POST', json: job});
    // the job's page shows the uploads going up, then the batches as they run
    startUploads(created.id, files);
    location.hash = '#/jobs/' + created.id;
  }

  /** Runs an estimate job on the chosen files and shows each file's quote; "Start job" then runs the verify. */
  async function quote() {
    clearError();
    if (files.length === 0) {
      throw new ApiError(0, 'No file', 'choose or drop at least one file first.');
    }
    estimateFirst.disabled = true;
    status.textContent = 'Estimating…';
    const job = await api('/jobs', {method: 'POST', json: {name: 'Estimate: ' + name.value.trim(),
      operation: 'estimate'}});
    const cards = [];
    for (const file of files) {
      const uploaded = await uploadFile(job.id, file);
      let batch = uploaded;
      while (!['completed', 'failed', 'malformed', 'cancelled'].includes(batch.status)) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        batch = await api(`/jobs/${job.id}/batches/${uploaded.id}`);
      }
      cards.push(estimateCard(file.name, batch));
    }
    estimates.replaceChildren(...cards);
    start.textContent = 'Run the verify';
    status.textContent = '';
    estimateFirst.disabled = false;
  }

  function datasetSelect(id) {
    return select(id, datasets.map((d) => [d.name, d.name]));
  }
}

/** One file's quote: the figures of its estimate batch, or why there is none. */
function estimateCard(fileName, batch) {
  const e = batch.estimate;
  if (!e) {
    return h('div', {class: 'card estimate'}, h('h2', {}, fileName),
        h('p', {}, `No estimate: the batch is ${batch.status}${batch.error ? ' (' + batch.error.message + ')' : ''}.`));
  }
  const minutes = Math.ceil(e.eta_seconds / 60);
  const rows = [['Records', e.records], ['Distinct addresses', e.distinct], ['Duplicates', e.duplicates],
    ['Already invalid', e.already_invalid], ['Cached verdicts', e.cached],
    ['Decided by your rules', e.decided_by_rules],
    ['Still need SMTP', e.need_smtp], ['Credits a verify costs', e.credits],
    ['Time for SMTP', e.eta_seconds < 60 ? `${e.eta_seconds} s` : `about ${count(minutes)} min`]];
  const providers = Object.entries(e.need_smtp_by_provider);
  return h('div', {class: 'card estimate'}, h('h2', {}, fileName),
      h('dl', {class: 'counters'}, rows.map(([label, value]) => h('div', {}, h('dt', {}, label),
          h('dd', {}, typeof value === 'number' ? count(value) : value)))),
      providers.length === 0 ? null : h('p', {class: 'hint'}, 'Need SMTP by provider: '
          + providers.map(([provider, n]) => `${provider} ${count(n)}`).join(', ')));
}

function select(id, options) {
  return h('select', {id, name: id}, options.map(([value, label]) => h('option', {value}, label)));
}

function field(id, label, control, ...more) {
  return h('div', {class: 'field'}, h('label', {for: id}, label), control, ...more);
}

function checkbox(name, value, checked) {
  return h('label', {}, h('input', {type: 'checkbox', name, value, checked}), value);
}
