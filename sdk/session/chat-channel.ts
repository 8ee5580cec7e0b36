import type { Disposable } from '../../engine/contracts/disposable.js';
import { isPlainObject } from '../crypto/canonical-json.js';
import type { ChatOutbox, OutgoingChat } from './chat-outbox.js';
import { parseJson } from './consent-messages.js';
import { EventHub } from './event-hub.js';
import { randomId } from './random-id.js';
import type { SessionClient } from './session-client.js';
import { SessionClientError } from './session-client-error.js';
import { silentSessionLogger, type SessionLogger } from './session-logger.js';

/** The channel chat travels on. */
export const CHAT_CHANNEL = 'chat';
/** The longest chat text, in UTF-16 code units. */
export const MAX_CHAT_TEXT = 16_384;

/** One chat message as it arrived. */
export interface ChatMessage {
  readonly id: string;
  readonly text: string;
  /** The sender's clock when it sent the message (ISO); for display, not to be trusted. */
  readonly sentAt: string;
  readonly from: string;
}

/** The events of a {@link ChatChannel}. */
export interface ChatChannelEvents {
  [name: string]: unknown;
  message: ChatMessage;
  typing: { readonly from: string; readonly typing: boolean };
  /** A message an earlier run kept in the outbox, sent again as {@link ChatChannel.send} does. */
  resent: SentChat & { readonly text: string; readonly sentAt: string };
}

/** A message on its way: `delivered` resolves once every peer acknowledged it. */
export interface SentChat {
  readonly id: string;
  readonly delivered: Promise<void>;
}

/** Options of a {@link ChatChannel}. */
export interface ChatChannelOptions {
  /** Milliseconds without {@link ChatChannel.setTyping} after which typing turns off (5000). */
  readonly typingIdleMs?: number;
  readonly logger?: SessionLogger;
  /**
   * Keeps each sent message until every peer acknowledged it. What an earlier run kept is
   * sent again, under its id and `sentAt`, once a peer is there. None by default.
   */
  readonly outbox?: ChatOutbox;
}

const REMEMBERED_IDS = 10_000;

/**
 * Chat over the session client's `chat` channel: messages with an id (received ones are
 * de-duplicated by sender and id) and a typing indicator that turns itself off after a quiet
 * spell. Messages go to every peer known when sent. With an outbox, a message survives a
 * restart of this program until acknowledged.
 */
export class ChatChannel {
  private typing = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly seen = new Set<string>();
  private readonly events: EventHub<ChatChannelEvents>;
  private readonly subscriptions: Disposable[];
  private readonly typingIdleMs: number;
  private readonly logger: SessionLogger;
  private readonly outbox: ChatOutbox | undefined;
  /** The last keep asked of the outbox: each send waits for the ones before it. */
  private lastKept: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: SessionClient,
    options: ChatChannelOptions = {},
  ) {
    this.typingIdleMs = options.typingIdleMs ?? 5000;
    this.logger = options.logger ?? silentSessionLogger;
    this.events = new EventHub(this.logger);
    this.outbox = options.outbox;
    this.subscriptions = [client.onChannel(CHAT_CHANNEL, (body, from) => this.onBody(body, from))];
    if (this.outbox) this.resendKeptOnFirstPeer(this.outbox.load());
  }

  /**
   * Sends `text` to every peer; `delivered` resolves once each acknowledged it and rejects
   * (SessionClientError) when there is no peer, the text is too long, or a send fails.
   */
  send(text: string): SentChat {
    const id = randomId();
    if (this.typing) this.setTyping(false);
    if (text.length > MAX_CHAT_TEXT) return { id, delivered: rejected('too-big', 'too long') };
    return { id, delivered: this.deliver({ id, text, sentAt: new Date().toISOString() }) };
  }

  /** Says whether I am typing; `true` turns itself off after the idle time. */
  setTyping(typing: boolean): void {
    if (this.typingTimer !== undefined) clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    if (typing) this.typingTimer = setTimeout(() => this.setTyping(false), this.typingIdleMs);
    if (typing === this.typing) return;

    this.typing = typing;
    for (const peer of this.client.peers()) {
      this.client
        .sendJson(peer.participantId, CHAT_CHANNEL, { type: 'typing', typing })
        .catch((error: unknown) => this.logger.debug({ err: String(error) }, 'typing unsent'));
    }
  }

  /** Calls `listener` for each `name` event until disposed. */
  on<K extends keyof ChatChannelEvents>(
    name: K,
    listener: (value: ChatChannelEvents[K]) => void,
  ): Disposable {
    return this.events.on(name, listener);
  }

  /** Stops listening and the typing timer. */
  dispose(): void {
    if (this.typingTimer !== undefined) clearTimeout(this.typingTimer);
    for (const subscription of this.subscriptions) void subscription.dispose();
  }

  /**
   * Sends `message` to every peer known now. With an outbox, a new message is kept first and
   * both kinds are dropped once delivered or refused for good (the session ended, say).
   */
  private deliver(message: OutgoingChat, resending = false): Promise<void> {
    const peers = this.client.peers().map((p) => p.participantId);
    if (peers.length === 0) return rejected('unknown-peer', 'no peer');
    const body = { type: 'message', ...message };
    const sendAll = () =>
      Promise.all(peers.map((peer) => this.client.sendJson(peer, CHAT_CHANNEL, body)));
    const outbox = this.outbox;
    if (!outbox) return sendAll().then(() => undefined);
    const sending = resending ? sendAll() : this.keep(outbox, message).then(sendAll);
    const settled = sending.finally(() => this.drop(outbox, message.id));
    return settled.then(() => undefined);
  }

  /** Keeps `message`, after the messages sent before it, so they go out in the order sent. */
  private keep(outbox: ChatOutbox, message: OutgoingChat): Promise<void> {
    const keeping = this.lastKept.then(() => outbox.keep(message));
    // A failed keep still sends: the message is only not safe from a restart.
    this.lastKept = keeping.catch((error: unknown) => {
      this.logger.warn({ err: String(error) }, 'chat message not kept');
    });
    return this.lastKept;
  }

  private async drop(outbox: ChatOutbox, id: string): Promise<void> {
    await outbox.drop(id).catch((error: unknown) => {
      this.logger.warn({ err: String(error) }, 'chat message not dropped');
    });
  }

  /** Sends what an earlier run kept once a peer is there, and says so in `resent`. */
  private resendKeptOnFirstPeer(loading: Promise<readonly OutgoingChat[]>): void {
    const resendAll = () =>
      void loading.then(
        (kept) => kept.forEach((message) => this.resend(message)),
        (error: unknown) => this.logger.warn({ err: String(error) }, 'chat outbox unreadable'),
      );
    if (this.client.peers().length > 0) return resendAll();
    const listening = this.client.on('peer-joined', () => {
      void listening.dispose();
      resendAll();
    });
    this.subscriptions.push(listening);
  }

  private resend(message: OutgoingChat): void {
    const delivered = this.deliver(message, true);
    // Listeners may ignore `delivered`: no unhandled rejection then.
    delivered.catch(() => undefined);
    this.events.emit('resent', { ...message, delivered });
  }

  private onBody(body: Uint8Array, from: string): void {
    const value = parseJson(body);
    if (!isPlainObject(value)) return this.logger.debug({ from }, 'ignored a chat body');
    if (value.type === 'typing' && typeof value.typing === 'boolean') {
      return this.events.emit('typing', { from, typing: value.typing });
    }
    const { type, id, text, sentAt } = value;
    if (type !== 'message' || typeof id !== 'string' || id.length === 0 || id.length > 128) {
      return this.logger.debug({ from }, 'ignored a chat body');
    }
    if (typeof text !== 'string' || text.length > MAX_CHAT_TEXT || typeof sentAt !== 'string') {
      return this.logger.debug({ from }, 'ignored a chat body');
    }
    if (!this.remember(`${from}\n${id}`)) return;
    this.events.emit('message', { id, text, sentAt, from });
  }

  /** False when `key` was seen already; keeps the last {@link REMEMBERED_IDS} keys. */
  private remember(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}

function rejected(reason: 'too-big' | 'unknown-peer', message: string): Promise<void> {
  const promise = Promise.reject(new SessionClientError(reason, message));
  // Callers that ignore `delivered` must not get an unhandled rejection.
  promise.catch(() => undefined);
  return promise;
}
