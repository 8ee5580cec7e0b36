import { request as httpsRequest } from 'node:https';

/** An answer as tests read it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
}

/** A request: method, headers and a body (an object is sent as JSON, a string as it is). */
export interface TestRequest {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const TIMEOUT_MS = 10_000;

/** Sends one HTTPS request, trusting only `ca` (the engine's certificate). */
export function sendRequest(url: string, ca: string, init: TestRequest = {}) {
  const payload =
    init.body === undefined || typeof init.body === 'string'
      ? init.body
      : JSON.stringify(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (payload !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(payload));
    if (typeof init.body !== 'string') headers['content-type'] ??= 'application/json';
  }
  return new Promise<TestResponse>((resolve, reject) => {
    const req = httpsRequest(url, {
      method: init.method ?? 'GET',
      headers,
      ca,
      timeout: TIMEOUT_MS,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
      });
    });
    req.end(payload);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
