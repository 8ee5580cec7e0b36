/**
 * The engine's source of time. Everything that stamps, expires or schedules by wall-clock time
 * reads it here, so a test can bind a clock it controls.
 */
export interface Clock {
  /** The current wall-clock time. */
  now(): Date;
  /** Milliseconds since the Unix epoch; the same instant as `now()`. */
  nowMs(): number;
}

/** Token of the {@link Clock} contract. */
export const Clock = Symbol.for('tether.Clock');
