import { Agent, request } from 'node:https';
import type { FirstAdmin } from './engine-process.js';
import type { JoinedSession } from '../../sdk/session/joined-session.js';

/** An answer of the engine's REST API. */
export interface ApiAnswer {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

/** What `POST /api/v1/sessions` answers (docs/sessions.md). */
export interface CreatedSession {
  readonly id: string;
  readonly sessionId: string;
  readonly joinCode: string;
}

export type { JoinedSession };

const TIMEOUT_MS = 15_000;
const BENCH_PASSWORD = 'the bench technician passphrase, long enough 7';
const MAX_THROTTLE_WAITS = 20;

/**
 * A small HTTPS client of the engine's REST API over one keep-alive agent that trusts only the
 * engine's certificate; it signs the first administrator in and makes and joins sessions.
 */
export class EngineApi {
  private readonly agent: Agent;
  private token: string | undefined;

  constructor(
    private readonly baseUrl: string,
    ca: string,
  ) {
    this.agent = new Agent({ ca, keepAlive: true, maxSockets: 16 });
  }

  /** The bearer token of the signed-in administrator. */
  get bearer(): string {
    if (!this.token) throw new Error('not signed in');
    return this.token;
  }

  /** One request; a 429 is waited out (Retry-After, at most 20 times) rather than failed. */
  async send(method: string, pathname: string, body?: unknown, signed = true) {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(method, pathname, body, signed);
      if (answer.status !== 429 || attempt >= MAX_THROTTLE_WAITS) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /**
   * Signs in with the one-time secret as the tests do, sets a password, and takes the second
   * factor step (an authenticator app) when the tenant's policy asks for one.
   */
  async signInFirstAdmin(admin: FirstAdmin): Promise<void> {
    const login = await this.send('POST', '/api/v1/auth/login', {
      tenant: admin.tenant,
      email: admin.email,
      password: admin.secret,
      client: 'api',
    });
    const token = (login.json as { token?: string } | undefined)?.token;
    if (login.status !== 200 || !token) throw new Error(`sign-in failed: ${login.text}`);
    this.token = token;
    const changed = await this.expectOk('POST', '/api/v1/auth/password', {
      newPassword: BENCH_PASSWORD,
    });
    const state = (changed as { state?: string }).state;
    if (state === 'second-factor-setup-required') await this.setUpTotp();
    else if (state !== 'active') throw new Error(`the sign-in stopped at the step ${state}`);
  }

  /** Creates a support session as the signed-in administrator. */
  async createSession(): Promise<CreatedSession> {
    return (await this.expectOk('POST', '/api/v1/sessions', {})) as CreatedSession;
  }

  /** Joins a session with its code, as an end user does (no sign-in). */
  async join(code: string): Promise<JoinedSession> {
    const answer = await this.send('POST', '/api/v1/sessions/join', { code }, false);
    if (answer.status !== 200) throw new Error(`join: HTTP ${answer.status} ${answer.text}`);
    return answer.json as JoinedSession;
  }

  /**
   * Whether the engine has the sessions API: a join with a code nobody was given is answered
   * by the route (any status but 405, and a 404 only with another code than the catch-all
   * TETHER_E_NOT_FOUND of an unknown route).
   */
  async hasSessionsApi(): Promise<boolean> {
    const answer = await this.once('POST', '/api/v1/sessions/join', { code: '000000' }, false);
    const code = (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
    if (answer.status === 405) return false;
    return answer.status !== 404 || (code !== undefined && code !== 'TETHER_E_NOT_FOUND');
  }

  close(): void {
    this.agent.destroy();
  }

  private async setUpTotp(): Promise<void> {
    const { referenceCode, base32Decode, stepOf } = await import('../support/identity-helpers.js');
    const setup = (await this.expectOk('POST', '/api/v1/auth/second-factor/totp/setup')) as {
      secret: string;
    };
    const code = referenceCode(base32Decode(setup.secret), stepOf(new Date()));
    const confirmed = await this.expectOk('POST', '/api/v1/auth/second-factor/totp/confirm', {
      code,
    });
    const state = (confirmed as { state?: string }).state;
    if (state !== 'active') throw new Error(`the second factor left the sign-in at ${state}`);
  }

  private async expectOk(method: string, pathname: string, body?: unknown): Promise<unknown> {
    const answer = await this.send(method, pathname, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${pathname}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    return answer.json;
  }

  private once(method: string, pathname: string, body?: unknown, signed = true) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    if (signed && this.token) headers.authorization = `Bearer ${this.token}`;
    return new Promise<ApiAnswer>((resolve, reject) => {
      const req = request(this.baseUrl + pathname, {
        method,
        headers,
        agent: this.agent,
        timeout: TIMEOUT_MS,
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${pathname}: no answer in time`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve(answerOf(res.statusCode ?? 0, Buffer.concat(chunks))));
      });
      req.end(payload);
    });
  }
}

function answerOf(status: number, bytes: Buffer): ApiAnswer {
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, json, text };
}
