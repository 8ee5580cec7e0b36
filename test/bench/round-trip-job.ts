import type { GatewayAuth } from './gateway-participant.js';

/** One gateway participant a round-trip worker plays. */
export interface EngineSeat {
  readonly gatewayUrl: string;
  readonly auth: GatewayAuth;
}

/** The first line a round-trip worker reads on standard input. */
export type RoundTripJob = {
  /** `sender` times the echoes of what it sends; `echo` sends back what it gets. */
  readonly role: 'sender' | 'echo';
  readonly ca: string;
  readonly intervalMs: number;
  readonly durationMs: number;
  readonly payloadBytes: number;
  readonly connectTimeoutMs: number;
} & (
  | { readonly kind: 'plain'; readonly urls: readonly string[] }
  | { readonly kind: 'engine'; readonly seats: readonly EngineSeat[] }
);

/** What a worker prints once every connection is up (and, on the engine, keyed). */
export interface WorkerConnected {
  readonly t: 'connected';
  readonly connections: number;
  readonly failed: number;
  readonly firstError?: string;
}

/** What a sender prints at the end: round-trip times in milliseconds. */
export interface SenderResult {
  readonly t: 'result';
  readonly sent: number;
  readonly received: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly dropped: number;
  readonly sendFailures: number;
}

/** What an echo worker prints when told to stop. */
export interface EchoResult {
  readonly t: 'echoed';
  readonly echoed: number;
  readonly dropped: number;
  readonly sendFailures: number;
}

/** The `q`-quantile (0..1) of sorted `values` (nearest rank); NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
