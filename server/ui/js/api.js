// The one way the workspace talks to the server: the public /api/v1 API.
import { t } from './dom.js';

const KEY = 'glossary.apiKey';

/** The API key of this browser tab (sessionStorage: gone with the tab). */
export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

/** Sets (or with an empty string clears) the API key. */
export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/** An error answer of the API (`{code, message, field?}`) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.code) || (status ? `http_${status}` : 'network');
    this.field = body && body.field;
    this.body = body;
  }
}

function url(path, query) {
  const u = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
  }
  return u.pathname + u.search;
}

/**
 * Calls the API. `json`: a body sent as JSON; `body` + `type`: a raw body;
 * `raw`: return the Response itself (downloads). Resolves to the parsed
 * JSON (null when empty); rejects with an ApiError.
 */
export async function api(method, path, { query, json, body, type, raw } = {}) {
  const headers = {};
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (type) {
    headers['Content-Type'] = type;
  }
  let resp;
  try {
    resp = await fetch(url(path, query), { method, headers, body });
  } catch (e) {
    throw new ApiError(0, { message: String(e) });
  }
  if (raw && resp.ok) return resp;
  const text = await resp.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (!resp.ok) {
    const err = new ApiError(resp.status, data);
    if (resp.status === 401) document.dispatchEvent(new CustomEvent('unauthorized'));
    throw err;
  }
  return data;
}

/** A sentence for the user about a failed call. */
export function explain(err) {
  if (!(err instanceof ApiError)) return String(err);
  if (err.status === 0) return t('err.network');
  if (err.status === 401) return t('err.unauthorized');
  const where = err.field ? ` (${err.field})` : '';
  return `${err.message}${where} [${err.code}]`;
}
