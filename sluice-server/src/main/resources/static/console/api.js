// The native API as the console uses it: the key from sessionStorage in x-api-key on every request,
// failures turned into ApiError carrying the problem details' title and detail.

const KEY = 'sluice.apiKey';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  signIn(key) {
    sessionStorage.setItem(KEY, key);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
};

/** A failed request: RFC 9457 problem details (title, detail, code) or what the response said instead. */
export class ApiError extends Error {
  constructor(status, title, detail, code) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.code = code;
  }
}

/** Reads a failed response as problem details. */
export async function problemOf(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // not JSON: a proxy's page, or an empty body
  }
  return new ApiError(response.status, problem?.title || response.statusText || `HTTP ${response.status}`,
      problem?.detail || '', problem?.code || null);
}

function headers(extra = {}) {
  const all = {Accept: 'application/json, application/problem+json', ...extra};
  if (session.key) {
    all['x-api-key'] = session.key;
  }
  return all;
}

/** Calls /api/v1{path}; answers the parsed JSON (null for 204) or throws ApiError. */
export async function api(path, {method = 'GET', json, signal} = {}) {
  const init = {method, headers: headers(), signal};
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, init);
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'The server cannot be reached', e.message);
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Uploads one file as a batch of the job (multipart field "file"), reporting the bytes sent through
 * onProgress(fraction); XMLHttpRequest because fetch() cannot tell upload progress.
 */
export function uploadFile(jobId, file, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/batch-files`);
    for (const [name, value] of Object.entries(headers())) {
      request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total);
      }
    };
    request.onload = () => {
      let body = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // no JSON body
      }
      if (request.status >= 200 && request.status < 300) {
        resolve(body);
      } else {
        reject(new ApiError(request.status, body?.title || request.statusText || `HTTP ${request.status}`,
            body?.detail || '', body?.code || null));
      }
    };
    request.onerror = () => reject(new ApiError(0, 'The upload failed', 'the server could not be reached'));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/**
 * Follows GET /api/v1/jobs/{id}/stream (server-sent events) with fetch(), since EventSource cannot send
 * the key. Calls on[eventName](data) for each event; resolves when the server sends "end"; reconnects
 * when the connection drops or the server's stream timeout ends it. Rejects with ApiError when the
 * server refuses the stream (401, 404, 429...).
 */
export async function watchJob(jobId, on, signal) {
  for (let attempt = 0; !signal.aborted; attempt++) {
    let response;
    try {
      response = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/stream`,
          {headers: headers({Accept: 'text/event-stream'}), signal, cache: 'no-store'});
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      await pause(Math.min(10000, 1000 * (attempt + 1)), signal);
      continue;
    }
    if (!response.ok) {
      throw await problemOf(response);
    }
    try {
      if (await readEvents(response.body, on)) {
        return;
      }
      attempt = 0;
    } catch (e) {
      if (signal.aborted) {
        return;
      }
    }
    await pause(1000, signal);
  }
}

/** Parses a text/event-stream body; answers true once an "end" event was seen. */
async function readEvents(body, on) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return false;
    }
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) {
          const payload = JSON.parse(data.join('\n'));
          on[name]?.(payload);
          if (name === 'end') {
            reader.cancel().catch(() => {});
            return true;
          }
        }
        name = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        // a keep-alive comment
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
          value = value.slice(1);
        }
        if (field === 'event') {
          name = value;
        } else if (field === 'data') {
          data.push(value);
        }
      }
    }
  }
}

function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, {once: true});
  });
}
