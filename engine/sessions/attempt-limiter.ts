import type { Clock } from '../contracts/clock-contract.js';
import { TetherError } from '../errors.js';

/** Most addresses the limiter remembers; past it, the oldest windows are forgotten first. */
const MAX_ADDRESSES = 50_000;

interface Window {
  readonly startedMs: number;
  count: number;
}

/**
 * Counts attempts per client address in fixed windows: after `max` counted attempts within
 * `windowMs`, every attempt from that address is refused with TETHER_E_RATE_LIMITED, even a
 * right one, until the window passes.
 *
 * TODO(#cluster): the counts live in this node's memory, so N nodes behind a balancer allow N
 * times the attempts; move them to the bus's store (Redis) when the cluster adapter lands.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Refuses the address while it is over the limit. */
  check(address: string): void {
    const window = this.current(address);
    if (window && window.count >= this.max) {
      throw new TetherError('TETHER_E_RATE_LIMITED', 'Too many attempts from this address');
    }
  }

  /** Counts one attempt (a wrong code, an arrival) against the address. */
  count(address: string): void {
    const window = this.current(address);
    if (window) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= MAX_ADDRESSES) this.forgetOldest();
    this.windows.set(address, { startedMs: this.clock.nowMs(), count: 1 });
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (!window) return undefined;
    if (this.clock.nowMs() - window.startedMs < this.windowMs) return window;
    this.windows.delete(address);
    return undefined;
  }

  private forgetOldest(): void {
    // Map iteration follows insertion order: the first keys are the oldest windows.
    const drop = Math.ceil(MAX_ADDRESSES / 10);
    for (const key of [...this.windows.keys()].slice(0, drop)) this.windows.delete(key);
  }
}
