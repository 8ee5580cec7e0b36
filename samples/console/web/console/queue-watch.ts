import { gatewayTicket } from './gateway-ticket.js';

/** One change of a queue, as the gateway's `queue` message carries it. */
export interface QueueChange {
  readonly groupId: string;
  readonly change: 'arrived' | 'picked-up' | 'left';
  readonly session: {
    readonly ref: string;
    readonly endUserName?: string;
    readonly state: string;
    readonly createdAt: string;
  };
}

/** What a queue watch reports to the console. */
export interface QueueWatchEvents {
  /** Watching (again): the console reloads the queue, since changes may have been missed. */
  watching(): void;
  change(change: QueueChange): void;
  /** The watch stopped for good (signed out, or not a technician of any group). */
  stopped(reason: string): void;
}

const NOT_ADMITTED = 4003;
const MAX_DELAY_MS = 10_000;

/**
 * The live queue over the gateway: a `watch` connection authenticated by a single-use ticket,
 * opened again with a fresh ticket and growing pauses after any drop, until stopped or refused.
 */
export class QueueWatch {
  private socket: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly events: QueueWatchEvents) {}

  start(): void {
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }

  private async open(): Promise<void> {
    let ticket;
    try {
      ticket = await gatewayTicket();
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const socket = new WebSocket(ticket.gatewayUrl);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ t: 'watch', v: 1, token: ticket.ticket }));
    socket.onmessage = (event) => this.onMessage(String(event.data));
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
  }

  private onMessage(text: string): void {
    let message: { t?: unknown } & Partial<QueueChange>;
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.t === 'watching') {
      this.failures = 0;
      this.events.watching();
    } else if (message.t === 'queue' && message.session !== undefined) {
      this.events.change(message as QueueChange);
    }
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket || this.stopped) return;
    this.socket = undefined;
    if (code === NOT_ADMITTED) {
      this.stopped = true;
      return this.events.stopped(reason || 'not-admitted');
    }
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(250 * 2 ** Math.min(this.failures, 6), MAX_DELAY_MS);
    this.timer = setTimeout(() => void this.open(), delay);
  }
}
