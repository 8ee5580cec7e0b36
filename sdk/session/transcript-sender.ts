import type { Disposable } from '../../engine/contracts/disposable.js';
import type { ChatChannel, ChatMessage } from './chat-channel.js';
import type { SessionClient } from './session-client.js';
import { silentSessionLogger, type SessionLogger } from './session-logger.js';
import type { TextStore } from './text-store.js';

/** One chat message as the chat plugin's transcript API takes it. */
export interface TranscriptEntry {
  readonly id: string;
  readonly from: 'technician' | 'end-user';
  readonly participantId: string;
  readonly sentAt: string;
  readonly text: string;
}

/**
 * Sends entries to the engine: a POST of `{ messages }` to the chat plugin's
 * `/api/v1/plugins/chat/sessions/{ref}/messages`, with the technician's bearer token. It
 * resolves once the engine stored them and rejects otherwise; how it reaches the engine (fetch
 * in a browser, https with the engine's CA in Node) is the caller's.
 */
export type TranscriptPost = (messages: readonly TranscriptEntry[]) => Promise<void>;

/** Options of a {@link TranscriptSender}. */
export interface TranscriptSenderOptions {
  /** Messages per post (at most 100, the API's limit; default 50). */
  readonly batch?: number;
  /** Milliseconds a message may wait for others before it is posted (default 200). */
  readonly delayMs?: number;
  /** First wait after a failed post; doubles to 30 s (default 500). */
  readonly retryMs?: number;
  /** Messages kept while the engine cannot be reached; the oldest beyond are dropped. */
  readonly maxPending?: number;
  /**
   * Where the entries not yet stored are kept (as JSON under `transcript`), so that a reload
   * of the page posts them still; none by default.
   */
  readonly store?: TextStore;
  readonly logger?: SessionLogger;
}

const STORE_NAME = 'transcript';

const MAX_BATCH = 100;
const MAX_RETRY_MS = 30_000;

/**
 * The technician side's transcript: every chat message of the session, both ways, sent to the
 * engine as it happens, since the engine cannot read the channel itself. Entries are posted in
 * order, in batches, and retried until stored: the API is idempotent on the message id, so a
 * retry after a lost answer stores nothing twice. {@link flush} waits until all is stored.
 */
export class TranscriptSender {
  private readonly pending: TranscriptEntry[] = [];
  private readonly subscription: Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private posting: Promise<void> | undefined;
  private failures = 0;
  private disposed = false;
  private readonly options: Required<Omit<TranscriptSenderOptions, 'logger' | 'store'>>;
  private readonly logger: SessionLogger;
  private readonly store: TextStore | undefined;

  constructor(
    private readonly client: SessionClient,
    private readonly chat: ChatChannel,
    private readonly post: TranscriptPost,
    options: TranscriptSenderOptions = {},
  ) {
    this.options = {
      batch: Math.min(options.batch ?? 50, MAX_BATCH),
      delayMs: options.delayMs ?? 200,
      retryMs: options.retryMs ?? 500,
      maxPending: options.maxPending ?? 10_000,
    };
    this.logger = options.logger ?? silentSessionLogger;
    this.store = options.store;
    this.subscription = chat.on('message', (message) => this.received(message));
    this.pending.push(...this.keptEntries());
    if (this.pending.length > 0) this.schedule(0);
  }

  /** Sends `text` on the chat channel and records it; resolves like `ChatChannel.send`. */
  send(text: string): { readonly id: string; readonly delivered: Promise<void> } {
    const sent = this.chat.send(text);
    const me = this.client.participantId;
    if (me !== undefined) {
      const sentAt = new Date().toISOString();
      this.add({ id: sent.id, from: 'technician', participantId: me, text, sentAt });
    }
    return sent;
  }

  /**
   * Resolves once every entry recorded so far is stored, retrying with the backoff; gives up
   * (rejecting) after 100 tries in a row.
   */
  async flush(): Promise<void> {
    for (let round = 0; this.pending.length > 0 && !this.disposed; round++) {
      if (round === 100) throw new Error('the transcript could not be stored');
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      await this.postNow();
      if (this.failures > 0) await new Promise((resolve) => setTimeout(resolve, this.backoff()));
    }
  }

  /** Stops recording; entries not yet stored are dropped, from the store too. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    void this.subscription.dispose();
    this.store?.remove(STORE_NAME);
  }

  private received(message: ChatMessage): void {
    const from = this.client.peer(message.from)?.role ?? 'end-user';
    const { id, sentAt, text } = message;
    this.add({ id, from, participantId: message.from, sentAt, text });
  }

  private add(entry: TranscriptEntry): void {
    if (this.disposed) return;
    this.pending.push(entry);
    if (this.pending.length > this.options.maxPending) {
      this.pending.shift();
      this.logger.warn({}, 'transcript backlog full: the oldest message was dropped');
    }
    this.save();
    this.schedule(this.options.delayMs);
  }

  /** What an earlier page kept and did not get stored; unreadable text counts as nothing. */
  private keptEntries(): TranscriptEntry[] {
    const text = this.store?.get(STORE_NAME);
    if (text === undefined) return [];
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value) && value.every(isEntry)) return value;
    } catch {
      // Not JSON: dropped below like any other unusable text.
    }
    this.logger.warn({}, 'kept transcript entries unreadable: dropped');
    this.store?.remove(STORE_NAME);
    return [];
  }

  /** Keeps the pending entries in the store, if any; a full store only loses the copy. */
  private save(): void {
    if (!this.store) return;
    try {
      if (this.pending.length === 0) this.store.remove(STORE_NAME);
      else this.store.set(STORE_NAME, JSON.stringify(this.pending));
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'transcript entries not kept');
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.posting !== undefined || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.postNow();
    }, delayMs);
  }

  private postNow(): Promise<void> {
    if (this.posting) return this.posting;
    const batch = this.pending.slice(0, this.options.batch);
    if (batch.length === 0) return Promise.resolve();
    this.posting = this.post(batch).then(
      () => {
        this.pending.splice(0, batch.length);
        this.failures = 0;
        this.save();
      },
      (error: unknown) => {
        this.failures++;
        this.logger.warn({ err: String(error), failures: this.failures }, 'transcript unsent');
      },
    );
    return this.posting.finally(() => {
      this.posting = undefined;
      if (this.pending.length === 0) return;
      this.schedule(this.failures === 0 ? 0 : this.backoff());
    });
  }

  private backoff(): number {
    return Math.min(this.options.retryMs * 2 ** Math.min(this.failures - 1, 10), MAX_RETRY_MS);
  }
}

function isEntry(value: unknown): value is TranscriptEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { id, from, participantId, sentAt, text } = value as Record<string, unknown>;
  const strings = [id, participantId, sentAt, text].every((field) => typeof field === 'string');
  return strings && (from === 'technician' || from === 'end-user');
}
