/**
 * Fetches from the hub with the session cookie (same origin). A 401 sends the user to the
 * sign-in page; any other error becomes an ApiFailure carrying the hub's { error, reason }.
 */
import type { ApiErrorBody } from './types.ts';

export const API = '/api/v1';

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
    super(body.reason || body.error || `HTTP ${status}`);
  }
}

let onUnauthorized: () => void = () => {};
/** What to do on a 401 (the app goes to #/login). */
export function setUnauthorizedHandler(f: () => void) {
  onUnauthorized = f;
}

/** A query string from the defined, non-empty parameters. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType ?? 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(`${API}${path}`, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 401 && path !== '/session') onUnauthorized();
  if (!res.ok) {
    let err: ApiErrorBody;
    try {
      err = (await res.json()) as ApiErrorBody;
    } catch {
      err = { error: `http_${res.status}`, reason: `${res.status} ${res.statusText}` };
    }
    throw new ApiFailure(res.status, err);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown, contentType?: string) => request<T>('POST', path, body, contentType),
  del: <T>(path: string) => request<T>('DELETE', path),
};
