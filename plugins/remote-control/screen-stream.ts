import type { StreamLimits } from './remote-control-protocol.js';

/** What a stream has done so far. */
export interface ScreenStreamStats {
  /** `tiles` today; a WebRTC video stream would say `webrtc`. */
  readonly kind: string;
  readonly frames: number;
  readonly bytes: number;
  readonly quality: number;
  readonly fps: number;
  /** Frames whose changes were folded into a later frame because the link was busy. */
  readonly skipped: number;
  /** Median of send-to-displayed round trips over the stream's life, ms. */
  readonly roundTripP50: number;
  /** Time spent capturing and encoding, ms, over the stream's life. */
  readonly workMs: number;
}

/**
 * How the end user's screen reaches one viewer. The plugin's control protocol (start, stop,
 * settings, input, displayed) does not depend on it: the tile stream sends JPEG tiles of the
 * changed regions over the end-to-end records, and a WebRTC video stream (signalled inside the
 * same channel) can implement this interface later without any message changing meaning.
 */
export interface ScreenStream {
  readonly kind: string;
  /** Starts sending: a first full frame, then changes. */
  start(): void;
  /** The technician's new quality and frame-rate ceilings. */
  setLimits(limits: StreamLimits): void;
  /** The viewer drew `frame` (the stream may use it for flow control). */
  displayed(frame: number): void;
  /** Stops for good; nothing is captured afterwards. */
  stop(): void;
  stats(): ScreenStreamStats;
}

/**
 * The wall clock in milliseconds, which the two sides of a stream compare. Not
 * `performance.timeOrigin + performance.now()`: the monotonic clock under it stops while a
 * machine is suspended, so two processes that started at different times disagree by
 * seconds afterwards (seen here: capture-to-display latencies of -11 s).
 */
export function epochNow(): number {
  return Date.now();
}
