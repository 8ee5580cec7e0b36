/** How the client retries after a dropped connection. */
export interface ReconnectOptions {
  /** The first delay, in milliseconds (default 250). */
  readonly initialDelayMs?: number;
  /** The longest delay; each failed try doubles the last one up to it (default 5000). */
  readonly maxDelayMs?: number;
  /** Tries in a row without reaching `ready` before the client gives up (default 120). */
  readonly maxAttempts?: number;
}

/** Delays of 0.25 s doubling to 5 s, bounded in number; reset once a connection is ready. */
export class ReconnectBackoff {
  private attempt = 0;
  private readonly initial: number;
  private readonly max: number;
  private readonly maxAttempts: number;

  constructor(options: ReconnectOptions = {}) {
    this.initial = options.initialDelayMs ?? 250;
    this.max = options.maxDelayMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? 120;
  }

  /** The delay before the next try, or `undefined` when the tries are used up. */
  next(): number | undefined {
    if (this.attempt >= this.maxAttempts) return undefined;
    const delay = Math.min(this.max, this.initial * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return delay;
  }

  /** How many tries were made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
