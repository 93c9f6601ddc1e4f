// Uploads in flight, kept outside the pages: a new job's page opens at once while its files still go
// up (the document never reloads under hash routes, so the requests carry on), and shows how far they are.
import {uploadFile} from './api.js';

const byJob = new Map();

/** Uploads the files one after the other as batches of the job. */
export function startUploads(jobId, files) {
  const entries = files.map((file) => ({file, fraction: 0, error: null}));
  byJob.set(jobId, [...(byJob.get(jobId) ?? []), ...entries]);
  changed(jobId);
  (async () => {
    for (const entry of entries) {
      try {
        await uploadFile(jobId, entry.file, (fraction) => {
          entry.fraction = fraction;
          changed(jobId);
        });
        byJob.set(jobId, byJob.get(jobId).filter((e) => e !== entry));
      } catch (error) {
        entry.error = error;
      }
      changed(jobId, entry.error);
    }
  })();
}

/** The job's uploads not finished (or failed): {file, fraction, error}. */
export function uploadsOf(jobId) {
  return byJob.get(jobId) ?? [];
}

function changed(jobId, error = null) {
  window.dispatchEvent(new CustomEvent('sluice-uploads', {detail: {jobId, error}}));
}
