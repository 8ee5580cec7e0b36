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
