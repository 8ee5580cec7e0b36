import type { Disposable } from './disposable.js';
import type { JsonValue } from './json-value.js';

/** What travels on the bus: JSON data or raw bytes, copied on the way as if over a wire. */
export type BusMessage = JsonValue | Uint8Array;

/** Receives the messages published on a topic. A throw is logged, never seen by the publisher. */
export type BusHandler = (message: BusMessage, topic: string) => void | Promise<void>;

/**
 * Publish/subscribe between engine nodes (in-process on one node, Redis in a cluster).
 *
 * Promises: a message published after `subscribe` resolved reaches every subscriber of that exact
 * topic on every node, once, in the order it was published by one publisher; delivery is always
 * asynchronous, so a publisher never runs handlers inside its own call; handlers get a copy, never
 * the publisher's object. No message is kept for subscribers that join later.
 */
export interface Bus {
  /** Sends `message` to all current subscribers of `topic`. */
  publish(topic: string, message: BusMessage): Promise<void>;
  /** Delivers messages on `topic` to `handler` until the returned Disposable is disposed. */
  subscribe(topic: string, handler: BusHandler): Promise<Disposable>;
}

/** Token of the {@link Bus} contract. */
export const Bus = Symbol.for('tether.Bus');
