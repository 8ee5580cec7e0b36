import type { Clock } from '../contracts/clock-contract.js';

/** The machine's clock: the default binding of the Clock contract. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  nowMs(): number {
    return Date.now();
  }
}
