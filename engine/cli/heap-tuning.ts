import { setFlagsFromString } from 'node:v8';
import type { EngineSettings } from '../contracts/engine-settings.js';
import type { Logger } from '../contracts/logger-contract.js';

/**
 * V8 flags `tether start` sets for its own process when `heapTuning` is `relay`. V8's defaults
 * favour a small heap. A relay at a light, steady load (a thousand chat sessions) allocates
 * slowly, so V8 keeps its old generation only a few megabytes above what is live, and its
 * memory reducer takes the process for idle. The bench saw a full collection of the engine's
 * 80 MB heap every few seconds (a 10 to 30 ms pause, and marking steps of up to 19 ms), and the
 * reducer running three in a row; every frame relayed meanwhile waits.
 *
 * - The old generation may grow to twice what the last full collection left live before the
 *   next one starts.
 * - The memory reducer does not start: the heap keeps the pages it grew to while idle.
 *
 * V8 reads both when it computes its next limit or schedules the reducer, so setting them at
 * start works. A V8 that no longer knows one prints "unrecognized flag" and goes on.
 */
export const RELAY_HEAP_FLAGS = [
  '--heap-growing-percent=100',
  '--gc-memory-reducer-start-delay-ms=2147483647',
] as const;

/** Sets {@link RELAY_HEAP_FLAGS} unless `heapTuning` is `off`; once per process, before start. */
export function applyHeapTuning(
  settings: Pick<EngineSettings, 'heapTuning'>,
  logger: Logger,
  setFlags: (flag: string) => void = setFlagsFromString,
): void {
  const log = logger.child({ name: 'engine:heap' });
  if (settings.heapTuning === 'off') {
    return log.info({ heapTuning: 'off' }, 'V8 heap defaults kept');
  }
  for (const flag of RELAY_HEAP_FLAGS) setFlags(flag);
  log.info({ flags: RELAY_HEAP_FLAGS }, 'V8 heap tuned for relaying');
}
