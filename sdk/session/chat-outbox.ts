/** A chat message this side sent, as a {@link ChatOutbox} keeps it. */
export interface OutgoingChat {
  readonly id: string;
  readonly text: string;
  /** The sender's clock when it first sent the message (ISO); a resend keeps it. */
  readonly sentAt: string;
}

/**
 * Where a ChatChannel keeps the messages it sent until every peer acknowledged them, so that
 * a program that restarts (an applet after a reboot, a page after a reload) sends them again
 * under the same ids, and the receivers, which drop an id they saw, show each message once.
 * Promises: `load` gives what was kept and not dropped, oldest first, also across restarts;
 * `keep` resolves once the message would survive a crash.
 */
export interface ChatOutbox {
  /** What an earlier run kept and did not drop, oldest first. */
  load(): Promise<readonly OutgoingChat[]>;
  /** Keeps `message` until {@link ChatOutbox.drop} names its id. */
  keep(message: OutgoingChat): Promise<void>;
  /** Forgets the message `id` (every peer acknowledged it, or it cannot be delivered). */
  drop(id: string): Promise<void>;
}

/**
 * The kept messages in `text` (a JSON list of {@link OutgoingChat}), as outboxes store them;
 * throws an Error that says what is wrong when it is not such a list.
 */
export function parseOutgoingChats(text: string): OutgoingChat[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the chat outbox is not JSON');
  }
  if (!Array.isArray(value) || !value.every(isOutgoingChat)) {
    throw new Error('the chat outbox holds something other than messages');
  }
  return value;
}

function isOutgoingChat(value: unknown): value is OutgoingChat {
  if (typeof value !== 'object' || value === null) return false;
  const { id, text, sentAt } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof text === 'string' && typeof sentAt === 'string';
}
