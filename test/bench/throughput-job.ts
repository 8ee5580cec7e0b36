import type { EngineSeat } from './round-trip-job.js';

/** Where a throughput receiver connects. */
export type ThroughputTarget =
  | { readonly kind: 'tcp'; readonly port: number; readonly pairId: string }
  | { readonly kind: 'plain'; readonly url: string; readonly ca: string }
  | { readonly kind: 'engine'; readonly seat: EngineSeat; readonly ca: string }
  /** The end user's SDK session client (sdk-throughput.ts), `engineKey` pinned. */
  | { readonly kind: 'sdk'; readonly seat: EngineSeat; readonly ca: string };

/** The first line a throughput receiver reads: where to connect and how much to expect. */
export type ThroughputJob = ThroughputTarget & {
  readonly totalBytes: number;
  readonly connectTimeoutMs: number;
};

/** What the receiver prints when every byte arrived, or when told to stop. */
export interface ThroughputDone {
  readonly t: 'done';
  readonly bytes: number;
  /** When the last byte arrived: `performance.timeOrigin + performance.now()` (ms). */
  readonly lastAt: number;
  readonly dropped: number;
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export const wallClockMs = () => performance.timeOrigin + performance.now();
