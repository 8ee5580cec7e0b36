import { toDisposable, type Disposable } from '../../engine/contracts/disposable.js';
import type { SessionLogger } from './session-logger.js';

/**
 * A small typed event emitter that runs in browsers and Node alike. A throwing listener is
 * logged and does not stop the others.
 */
export class EventHub<Events extends { [name: string]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(value: never) => void>>();

  constructor(private readonly logger: SessionLogger) {}

  /** Calls `listener` for every `name` event until the returned Disposable is disposed. */
  on<K extends keyof Events>(name: K, listener: (value: Events[K]) => void): Disposable {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = listener as (value: never) => void;
    set.add(entry);
    return toDisposable(() => {
      set.delete(entry);
    });
  }

  /** Calls every listener of `name` with `value`. */
  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch (error) {
        this.logger.warn({ event: String(name), err: errorText(error) }, 'a listener threw');
      }
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
}
