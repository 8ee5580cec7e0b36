import { request } from 'node:https';

import type { JoinedSession } from '../../sdk/session/joined-session.js';

export type { JoinedSession };

/** Why a join failed, in words for the terminal. */
export class JoinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JoinError';
  }
}

const JOIN_TIMEOUT_MS = 15_000;

/** Joins with a six-digit code over HTTPS, trusting `ca` (PEM) when the engine's is self-signed. */
export function joinWithCode(
  server: string,
  code: string,
  name: string | undefined,
  ca: string | undefined,
): Promise<JoinedSession> {
  const body = JSON.stringify(name === undefined ? { code } : { code, name });
  const url = new URL('/api/v1/sessions/join', server);
  return new Promise((resolve, reject) => {
    const call = request(url, {
      method: 'POST',
      ca,
      timeout: JOIN_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    call.on('timeout', () => call.destroy(new JoinError('the engine did not answer in time')));
    call.on('error', (error) => reject(asJoinError(error)));
    call.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => settle(response.statusCode ?? 0, text, resolve, reject));
    });
    call.end(body);
  });
}

function settle(
  status: number,
  text: string,
  resolve: (joined: JoinedSession) => void,
  reject: (error: Error) => void,
): void {
  const parsed = parseJson(text);
  if (status === 200 && isJoined(parsed)) return resolve(parsed);
  const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
  const why = error?.message ?? `the engine answered ${status}`;
  reject(new JoinError(error?.code ? `${why} (${error.code})` : why));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isJoined(value: unknown): value is JoinedSession {
  if (typeof value !== 'object' || value === null) return false;
  const fields = ['sessionId', 'participantId', 'secret', 'engineKey', 'gatewayUrl', 'expiresAt'];
  return fields.every((field) => typeof (value as Record<string, unknown>)[field] === 'string');
}

function asJoinError(error: Error): JoinError {
  return error instanceof JoinError
    ? error
    : new JoinError(`cannot reach the engine: ${error.message}`);
}
