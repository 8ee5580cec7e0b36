import type { Disposable } from './disposable.js';

/** Why a channel closed, as both ends report it. */
export type ChannelCloseReason = 'closed' | 'timeout' | 'forbidden' | 'bad-frame' | 'replaced';

/**
 * One participant's duplex path for a session's frames. Frames are opaque, already encrypted
 * end to end: a channel never looks inside them.
 */
export interface TransportChannel {
  /** Bytes handed to `send` and not yet written to the network: senders poll it for flow. */
  readonly bufferedAmount: number;
  /** Queues one frame; rejects once the channel is closed. */
  send(frame: Uint8Array): Promise<void>;
  /** Calls `handler` with each frame received, in order. */
  onFrame(handler: (frame: Uint8Array) => void): Disposable;
  /** Calls `handler` once when the channel closes, from either side. */
  onClose(handler: (reason: ChannelCloseReason) => void): Disposable;
  close(reason: ChannelCloseReason): Promise<void>;
}

/**
 * Moves frames between the participants of a session: the gateway relay through the engine, or a
 * direct WebRTC data channel. Promises: frames arrive whole, once and in order while the channel
 * is open; nothing is read or changed on the way.
 */
export interface Transport {
  /** Short name of the path (`relay`, `webrtc`), for logs and metrics. */
  readonly kind: string;
  /** Opens the channel of `participantId` in `sessionId`. */
  open(sessionId: string, participantId: string): Promise<TransportChannel>;
}

/** Token of the {@link Transport} contract. */
export const Transport = Symbol.for('tether.Transport');
