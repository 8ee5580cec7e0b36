import type { Container } from 'inversify';
import { Clock } from '../../engine/contracts/clock-contract.js';

/**
 * A clock a test moves forward: the real time plus an offset the test adds to. It keeps
 * running, so the engine's own timers and the network behave as usual; it never goes back,
 * so stamps (audit records, sign-ins) stay in order.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock `ms` forward. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`TestClock: cannot advance by ${ms}`);
    this.offsetMs += ms;
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }

  /**
   * Moves to `intoStepMs` past the start of the next step of `periodMs` (a TOTP step, say), so
   * that the test has nearly a whole step before the next one begins.
   */
  advanceToNextStep(periodMs = 30_000, intoStepMs = 1_000): void {
    const now = this.nowMs();
    this.advance(periodMs - (now % periodMs) + intoStepMs);
  }

  /** Binds this clock in place of the system clock; give it as `configure` to startTestEngine. */
  readonly install = (root: Container): void => {
    root.unbind(Clock);
    root.bind(Clock).toConstantValue(this);
  };
}
