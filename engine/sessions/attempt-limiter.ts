import { createHash } from 'node:crypto';
import type { Clock } from '../contracts/clock-contract.js';
import type { AttemptWindowRepository } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { rateLimitSubject } from './rate-limit-subject.js';

/**
 * Limits attempts per client address in fixed windows, counted in the storage that every node
 * shares, so a cluster allows no more than one node. An attempt is counted before it is tried,
 * so a burst of concurrent attempts cannot all pass a check made before any of them failed;
 * from the (max + 1)-th attempt in a window every attempt is refused with
 * TETHER_E_RATE_LIMITED, even a right one, until the window ends. An attempt that turned out
 * allowed (a right code) is given back. IPv6 addresses count by their /64.
 */
export class AttemptLimiter {
  constructor(
    private readonly windows: AttemptWindowRepository,
    private readonly clock: Clock,
    /** Keeps two limiters' counts of one address apart ("join-code", "arrival"). */
    private readonly scope: string,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt from `address`; refuses it once the window holds more than `max`. */
  async take(address: string): Promise<void> {
    const counted = await this.windows.take(
      this.subjectOf(address),
      this.clock.now(),
      this.windowMs,
    );
    if (counted > this.max) {
      throw new TetherError('TETHER_E_RATE_LIMITED', 'Too many attempts from this address');
    }
  }

  /** Takes back an attempt of `address` that turned out allowed. */
  giveBack(address: string): Promise<void> {
    return this.windows.giveBack(this.subjectOf(address), this.clock.now());
  }

  /** A digest, so the storage holds no address. */
  private subjectOf(address: string): string {
    const subject = rateLimitSubject(address);
    return createHash('sha256').update(`${this.scope}\n${subject}`).digest('hex');
  }
}
