/**
 * Something that undoes a registration: every `register*`, `subscribe` or `on*` call of the
 * engine returns one. Disposing twice is harmless.
 */
export interface Disposable {
  /** Undoes the registration; may be awaited when the undoing does I/O. */
  dispose(): void | Promise<void>;
}

/** Wraps a function as a Disposable that runs it at most once. */
export function toDisposable(undo: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      return undo();
    },
  };
}
