/** An error answer of the engine's API: its HTTP status and its `TETHER_E_*` code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CSRF_COOKIE = 'tether_csrf';

/** The CSRF token the engine set for page scripts at sign-in, if any. */
function csrfToken(): string | undefined {
  const entry = document.cookie.split('; ').find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return entry === undefined ? undefined : decodeURIComponent(entry.slice(CSRF_COOKIE.length + 1));
}

/** Whether this page holds a sign-in's CSRF cookie: without one it is surely signed out. */
export function hasCsrfCookie(): boolean {
  return csrfToken() !== undefined;
}

/** One call of the API. */
export interface ApiCall {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
}

/**
 * Calls the engine's API on this origin with the sign-in cookie and, for every method but GET,
 * the CSRF header. Answers the parsed JSON body (undefined for an empty one); an error answer
 * throws an {@link ApiError} carrying the engine's code.
 */
export async function api<T = unknown>(path: string, call: ApiCall = {}): Promise<T> {
  const response = await apiFetch(path, call);
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'TETHER_E_HTTP',
      error?.message ?? response.statusText,
    );
  }
  return body as T;
}

/** The raw `fetch` behind {@link api}: same headers, the response as it came. */
export function apiFetch(path: string, call: ApiCall = {}): Promise<Response> {
  const method = call.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = method === 'GET' ? undefined : csrfToken();
  if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  return fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
}
