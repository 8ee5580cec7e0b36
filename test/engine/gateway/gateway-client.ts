import { WebSocket, type ClientOptions } from 'ws';

/** A message the test client got: parsed JSON for text, the bytes for binary. */
export type Received =
  | { readonly kind: 'text'; readonly json: Record<string, unknown> }
  | { readonly kind: 'binary'; readonly bytes: Buffer };

/** How the socket ended. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

const WAIT_MS = 3_000;

/**
 * A gateway client for tests: it queues what arrives, so a test can await the next message of a
 * kind with a bounded wait, and records how the connection closed.
 */
export class GatewayClient {
  readonly received: Received[] = [];
  readonly closed: Promise<Closed>;
  pings = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const bytes = data as Buffer;
      this.received.push(
        isBinary
          ? { kind: 'binary', bytes }
          : { kind: 'text', json: JSON.parse(bytes.toString()) as Record<string, unknown> },
      );
      this.wake();
    });
    ws.on('ping', () => this.pings++);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, options: ClientOptions): Promise<GatewayClient> {
    const ws = new WebSocket(url, options);
    const client = new GatewayClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** The next text message whose `t` is `t` (earlier ones of other kinds stay queued). */
  async next(t: string, waitMs = WAIT_MS): Promise<Record<string, unknown>> {
    const found = await this.take((item) => item.kind === 'text' && item.json.t === t, waitMs);
    if (found.kind !== 'text') throw new Error('unreachable');
    return found.json;
  }

  /** The next binary message. */
  async nextBinary(waitMs = WAIT_MS): Promise<Buffer> {
    const found = await this.take((item) => item.kind === 'binary', waitMs);
    if (found.kind !== 'binary') throw new Error('unreachable');
    return found.bytes;
  }

  /** The text messages of kind `t` received so far, not taken. */
  texts(t: string): Record<string, unknown>[] {
    return this.received.flatMap((item) =>
      item.kind === 'text' && item.json.t === t ? [item.json] : [],
    );
  }

  /** The close, or a failure after `waitMs`. */
  async closedWithin(waitMs = WAIT_MS): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not closed within ${waitMs} ms`)), waitMs);
    });
    try {
      return await Promise.race([this.closed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.terminate();
  }

  private async take(match: (item: Received) => boolean, waitMs: number): Promise<Received> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`no matching message within ${waitMs} ms`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The upgrade was answered with an HTTP status instead of a WebSocket. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}
