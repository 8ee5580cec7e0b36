import type { Disposable } from '../../engine/contracts/disposable.js';
import { isPlainObject } from '../crypto/canonical-json.js';
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
}

/** Options of a {@link ChatChannel}. */
export interface ChatChannelOptions {
  /** Milliseconds without {@link ChatChannel.setTyping} after which typing turns off (5000). */
  readonly typingIdleMs?: number;
  readonly logger?: SessionLogger;
}

const REMEMBERED_IDS = 10_000;

/**
 * Chat over the session client's `chat` channel: messages with an id (received ones are
 * de-duplicated by sender and id) and a typing indicator that turns itself off after a quiet
 * spell. Messages go to every peer known when sent.
 */
export class ChatChannel {
  private typing = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly seen = new Set<string>();
  private readonly events: EventHub<ChatChannelEvents>;
  private readonly subscription: Disposable;
  private readonly typingIdleMs: number;
  private readonly logger: SessionLogger;

  constructor(
    private readonly client: SessionClient,
    options: ChatChannelOptions = {},
  ) {
    this.typingIdleMs = options.typingIdleMs ?? 5000;
    this.logger = options.logger ?? silentSessionLogger;
    this.events = new EventHub(this.logger);
    this.subscription = client.onChannel(CHAT_CHANNEL, (body, from) => this.onBody(body, from));
  }

  /**
   * Sends `text` to every peer; `delivered` resolves once each acknowledged it and rejects
   * (SessionClientError) when there is no peer, the text is too long, or a send fails.
   */
  send(text: string): { readonly id: string; readonly delivered: Promise<void> } {
    const id = randomId();
    if (this.typing) this.setTyping(false);
    const peers = this.client.peers().map((p) => p.participantId);
    if (text.length > MAX_CHAT_TEXT) return { id, delivered: rejected('too-big', 'too long') };
    if (peers.length === 0) return { id, delivered: rejected('unknown-peer', 'no peer') };

    const body = { type: 'message', id, text, sentAt: new Date().toISOString() };
    const sends = peers.map((peer) => this.client.sendJson(peer, CHAT_CHANNEL, body));
    return { id, delivered: Promise.all(sends).then(() => undefined) };
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
    void this.subscription.dispose();
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
