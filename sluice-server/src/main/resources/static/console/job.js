// One job, live: progress, counters and the chart follow the job's server-sent events; batches with their
// download links (per verdict too, for verify); a verify job's report; the event timeline.
import {api, watchJob} from './api.js';
import {badge, count, fill, h, progressBar, when} from './dom.js';
import {showError} from './errors.js';
import {uploadsOf} from './uploads.js';

/** What the chart shows per operation: [counter in records, label, colour variable]. */
const SERIES = {
  verify: [['valid', 'valid', '--valid'], ['invalid', 'invalid', '--invalid'],
    ['accept_all', 'accept_all', '--accept-all'], ['unknown', 'unknown', '--unknown']],
  import: [['completed', 'completed', '--valid'], ['failed', 'failed', '--invalid'],
    ['ignored', 'ignored', '--unknown']],
  append: [['completed', 'matched', '--valid'], ['ignored', 'not matched', '--unknown']],
  export: [['completed', 'exported', '--valid'], ['failed', 'failed', '--invalid']],
  estimate: [['invalid', 'already invalid', '--invalid'], ['duplicates', 'duplicates', '--unknown']],
};
const FINAL_BATCH = new Set(['completed', 'failed', 'malformed', 'cancelled']);
const FAILED_PAGE = 50;
const STATUSES = ['valid', 'invalid', 'accept_all', 'unknown'];

export async function jobPage({view, params: [jobId], signal}) {
  const first = await api(`/jobs/${encodeURIComponent(jobId)}`, {signal});
  const series = SERIES[first.operation] ?? SERIES.import;

  const title = h('h1', {id: 'job-title'});
  const state = h('span', {id: 'job-state'});
  const live = h('span', {class: 'hint', id: 'live'}, 'connecting…');
  const cancel = h('button', {type: 'button', class: 'danger', id: 'cancel-job', hidden: true}, 'Cancel job');
  const progress = progressBar('job progress', true);
  progress.element.id = 'job-progress';
  const recordsLine = h('p', {class: 'hint', id: 'records-line'});
  const counters = h('dl', {class: 'counters', id: 'counters'});
  const canvas = h('canvas', {id: 'outcome-chart', role: 'img',
    'aria-label': first.operation === 'verify' ? 'verdicts' : 'outcomes'});
  const batchRows = h('tbody', {id: 'batches'});
  const uploads = h('ul', {class: 'files', id: 'uploads'});
  const failures = h('div', {id: 'failures'});
  const report = h('section', {class: 'card', id: 'report', hidden: true});
  const timeline = h('ol', {class: 'timeline', id: 'timeline'});

  view.append(
      h('div', {class: 'row spread'}, h('div', {}, title,
          h('div', {class: 'row'}, h('span', {class: 'muted', id: 'job-operation'}, first.operation), state, live)),
      cancel),
      h('div', {class: 'card'}, progress.element, recordsLine),
      h('div', {class: 'grid'},
          h('section', {class: 'card'}, h('h2', {}, 'Counters'), counters),
          h('section', {class: 'card'}, h('h2', {}, first.operation === 'verify' ? 'Verdicts' : 'Outcomes'),
              h('div', {class: 'chart-box'}, canvas))),
      h('h2', {}, 'Batches'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'stack'},
          h('thead', {}, h('tr', {}, ['Batch', 'File', 'Status', 'Records', 'Progress', 'Result']
              .map((c) => h('th', {}, c)))), batchRows)),
      uploads,
      failures,
      report,
      h('h2', {}, 'Timeline'),
      h('div', {class: 'card'}, timeline));

  const chart = outcomeChart(canvas, series);
  signal.addEventListener('abort', () => chart?.destroy(), {once: true});
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      showJob(await api(`/jobs/${encodeURIComponent(jobId)}/cancel`, {method: 'POST'}));
    } catch (error) {
      cancel.disabled = false;
      showError(error);
    }
  });

  function showJob(job) {
    fill(title, job.name);
    fill(state, badge(job.state));
    progress.set(job.progress);
    const r = job.records;
    recordsLine.textContent = `${count(r.processed)} of ${count(r.total)} records processed`
        + (r.deferred > 0 ? `, ${count(r.deferred)} waiting for a later attempt (greylisting)`
          + (job.next_retry_at ? `, next at ${new Date(job.next_retry_at).toLocaleTimeString()}` : '') : '');
    // a verify's duplicates are counted in their verdicts too: a counter of their own, not a slice of the chart
    const duplicates = job.operation === 'verify' && r.duplicates > 0 ? [['duplicates', r.duplicates]] : [];
    fill(counters, [['total', r.total], ['processed', r.processed], ...series.map(([key, label]) => [label, r[key]]),
      ...duplicates]
        .map(([label, value]) => h('div', {'data-counter': label}, h('dt', {}, label), h('dd', {}, count(value)))));
    cancel.hidden = job.state === 'completed' || job.state === 'cancelled';
    if (chart) {
      chart.data.datasets[0].data = series.map(([key]) => r[key] ?? 0);
      chart.update();
    }
  }

  const rows = new Map();
  const counted = new Set();
  function showBatch(batch) {
    const r = batch.records;
    const actions = h('div', {class: 'actions'});
    if (batch.status === 'completed') {
      actions.append(h('button', {type: 'button', class: 'secondary download', 'data-batch': batch.id,
        onclick: () => download(batch).catch(showError)}, 'Download'));
      if (first.operation === 'verify') {
        // one button per verdict present: the server makes (once) a copy holding only those rows
        STATUSES.filter((status) => r[status] > 0).forEach((status) => actions.append(h('button', {
          type: 'button', class: 'link download-status', 'data-status': status,
          title: `Download only the ${status} rows`,
          onclick: () => download(batch, status).catch(showError)}, `${status} (${count(r[status])})`)));
        if (!counted.has(batch.id)) {
          counted.add(batch.id);
          showReport().catch(showError);
        }
      }
    }
    if (r.failed > 0 && FINAL_BATCH.has(batch.status) && batch.status !== 'cancelled') {
      actions.append(h('button', {type: 'button', class: 'link failures',
        onclick: () => showFailures(batch).catch(showError)},
      r.failed === 1 ? '1 failed record' : `${count(r.failed)} failed records`));
    }
    if (batch.error) {
      actions.append(h('span', {class: 'hint'}, h('code', {}, batch.error.code), ' ', batch.error.message));
    }
    if (batch.estimate) {
      const e = batch.estimate;
      actions.append(h('span', {class: 'hint estimate'}, `${count(e.distinct)} distinct, ${count(e.need_smtp)} `
          + `need SMTP, ${count(e.credits)} credits, about ${count(Math.ceil(e.eta_seconds / 60))} min`));
    }
    const cell = (label, ...content) => h('td', {'data-label': label}, h('span', {}, ...content));
    const row = h('tr', {'data-batch': batch.id, 'data-status': batch.status},
        cell('Batch', h('span', {class: 'mono'}, batch.id)),
        cell('File', batch.file?.name ?? batch.source),
        cell('Status', badge(batch.status)),
        cell('Records', `${count(r.processed)} / ${count(r.total)}`),
        cell('Progress', batch.progress + '%'),
        h('td', {'data-label': 'Result'}, actions));
    const old = rows.get(batch.id);
    if (old) {
      old.replaceWith(row);
    } else {
      batchRows.append(row);
    }
    rows.set(batch.id, row);
  }

  async function download(batch, status) {
    const result = await api(`/jobs/${encodeURIComponent(jobId)}/batches/${encodeURIComponent(batch.id)}/result`
        + (status ? `?status=${encodeURIComponent(status)}` : ''));
    // a signed link that needs no key: the browser downloads it as the server names it
    const link = h('a', {href: result.download_url, download: ''});
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function showReport() {
    const data = await api(`/jobs/${encodeURIComponent(jobId)}/report`, {signal});
    const total = data.total;
    report.hidden = data.batches.length === 0;
    fill(report, h('h2', {}, 'Report'),
        h('p', {class: 'hint'}, `${count(total.records)} records in ${count(data.batches.length)} completed `
            + (data.batches.length === 1 ? 'batch' : 'batches')),
        h('div', {class: 'report-grid'},
            bars('By reason', 'report-reasons', Object.entries(total.reasons)),
            bars('By provider', 'report-providers', Object.entries(total.providers)),
            bars('Top domains', 'report-domains', total.top_domains.map((d) => [d.domain, d.records]))));
  }

  async function showFailures(batch) {
    const page = await api(`/jobs/${encodeURIComponent(jobId)}/batches/${encodeURIComponent(batch.id)}`
        + `/outcomes?outcome=failed&limit=${FAILED_PAGE}`);
    fill(failures, h('h2', {}, `Failed records of ${batch.id}`),
        h('div', {class: 'table-wrap'}, h('table', {id: 'failed-records'},
            h('thead', {}, h('tr', {}, h('th', {}, 'Record (0-based)'), h('th', {}, 'Error'))),
            h('tbody', {}, page.items.map((o) => h('tr', {}, h('td', {}, o.index), h('td', {}, o.error ?? '')))))),
        page.next_cursor ? h('p', {class: 'hint'}, `The first ${FAILED_PAGE} are shown; the API pages on.`) : null);
  }

  // a reconnected stream sends the log from its start again
  const logged = new Set();
  function addLog(entry) {
    if (logged.has(entry.id)) {
      return;
    }
    logged.add(entry.id);
    timeline.append(h('li', {'data-type': entry.type},
        h('time', {datetime: entry.at}, when(entry.at)),
        h('strong', {}, entry.type.replaceAll('_', ' ')), ' ', entry.message,
        entry.batch_id ? h('span', {class: 'hint mono'}, ' ' + entry.batch_id) : null));
  }

  function showUploads(event) {
    if (event && event.detail.jobId !== jobId) {
      return;
    }
    fill(uploads, uploadsOf(jobId).map((u) => h('li', {'data-file': u.file.name}, u.error
        ? `${u.file.name}: not uploaded (${u.error.title}${u.error.detail ? ': ' + u.error.detail : ''})`
        : `${u.file.name}: uploading, ${Math.round(u.fraction * 100)}%`)));
    if (event?.detail.error) {
      showError(event.detail.error);
    }
  }
  window.addEventListener('sluice-uploads', showUploads);
  signal.addEventListener('abort', () => window.removeEventListener('sluice-uploads', showUploads), {once: true});
  showUploads();

  showJob(first);
  try {
    await watchJob(jobId, {
      job: (job) => {
        live.textContent = 'live';
        showJob(job);
      },
      batch: showBatch,
      log: addLog,
      end: ({reason}) => {
        live.textContent = reason === 'deleted' ? 'deleted' : 'final';
        live.dataset.ended = reason;
      },
    }, signal);
  } catch (error) {
    // the stream was refused (for example every stream of the server is taken): show what is known now
    live.textContent = 'not live';
    showError(error);
    (await api(`/jobs/${encodeURIComponent(jobId)}/batches`, {signal})).items.forEach(showBatch);
    (await api(`/jobs/${encodeURIComponent(jobId)}/events?limit=200`, {signal})).items.forEach(addLog);
  }
}

/** A horizontal bar chart of [label, count] pairs, most first, as plain elements (no canvas, no inline style). */
function bars(title, id, entries) {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return h('div', {class: 'hbars', id}, h('h3', {}, title), entries.length === 0
    ? h('p', {class: 'hint'}, 'none in these results')
    : h('ul', {}, entries.map(([label, n]) => {
      const fillElement = h('span', {class: 'hbar-fill'});
      fillElement.style.width = `${(n / max) * 100}%`;
      return h('li', {'data-key': label}, h('span', {class: 'hbar-label', title: label}, label),
          h('span', {class: 'hbar-track'}, fillElement), h('span', {class: 'hbar-count'}, count(n)));
    })));
}

/** A bar chart of the job's counters, or null when Chart.js did not load (the counters still show). */
function outcomeChart(canvas, series) {
  if (!window.Chart) {
    return null;
  }
  const style = getComputedStyle(document.documentElement);
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: series.map(([, label]) => label),
      datasets: [{data: series.map(() => 0), backgroundColor: series.map(([, , colour]) =>
        style.getPropertyValue(colour).trim())}],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: {duration: 200},
      plugins: {legend: {display: false}},
      scales: {y: {beginAtZero: true, ticks: {precision: 0}}},
    },
  });
}
