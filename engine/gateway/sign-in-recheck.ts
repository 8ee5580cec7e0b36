import { isTetherError } from '../errors.js';

/** What a recheck does with its outcome. */
export interface RecheckOutcome {
  /** The sign-in no longer holds (signed out, locked, disabled, ...). */
  gone(): void;
  /** The check itself failed (storage down, ...): the connection stays, the error is logged. */
  failed(error: unknown): void;
}

/**
 * Asks again, now and then, whether a technician's or queue watcher's sign-in still holds. The
 * check runs at the first keepalive answer once `everyMs` passed, so no timer per connection is
 * needed, and it runs for one connection at a time as its pongs come in.
 */
export class SignInRecheck {
  private check: (() => Promise<unknown>) | undefined;
  private dueAt = 0;

  constructor(
    private readonly everyMs: number,
    private readonly outcome: RecheckOutcome,
  ) {}

  /** From now on, `check` is asked every `everyMs`; undefined from it means signed out. */
  start(check: () => Promise<unknown>): void {
    this.check = check;
    this.dueAt = Date.now() + this.everyMs;
  }

  /** Runs the check when it is due. */
  runIfDue(): void {
    const { outcome } = this;
    const check = this.check;
    if (!check || Date.now() < this.dueAt) return;
    this.dueAt = Date.now() + this.everyMs;
    check().then(
      (still) => still === undefined && outcome.gone(),
      (error: unknown) =>
        isTetherError(error, 'TETHER_E_NOT_ADMITTED') ? outcome.gone() : outcome.failed(error),
    );
  }
}
