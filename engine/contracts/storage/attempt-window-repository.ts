/**
 * Attempts counted per subject in fixed windows, in the database every node shares, so that a
 * cluster of N nodes allows no more attempts than one node does (join codes per address, say).
 * Subjects are opaque to the storage (up to 64 characters); the engine passes digests, not
 * addresses.
 *
 * Promises: concurrent takes of one subject, from any nodes, each count once and each resolves
 * with the count right after its own attempt (1, 2, 3, ... in the order the database applied
 * them, unless a give-back came between); a window opens at the first take after the last one
 * ended and lasts `windowMs` from then, whatever happens in it.
 */
export interface AttemptWindowRepository {
  /**
   * Counts one attempt against `subject` and resolves with the attempts counted in its live
   * window, this one included: 1 for the first attempt of a new window.
   */
  take(subject: string, now: Date, windowMs: number): Promise<number>;
  /**
   * Takes one attempt back from `subject`'s live window (an attempt that turned out to be
   * allowed); nothing happens when no window is live or it counts none.
   */
  giveBack(subject: string, now: Date): Promise<void>;
  /** Deletes the windows that ended at or before `now`; resolves with how many. */
  sweep(now: Date): Promise<number>;
}
