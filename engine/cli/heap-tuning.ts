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
 * - The memory reducer's first start is put off. V8 reads both when it computes its next limit
 *   or arms the reducer, so setting them at start works. A V8 that no longer knows one prints
 *   "unrecognized flag" and goes on.
 */
export const RELAY_HEAP_FLAGS = [
  '--heap-growing-percent=100',
  '--gc-memory-reducer-start-delay-ms=2147483647',
] as const;

/**
 * V8 flags that work only when given to `node` itself: `npm start` and the `tether` command
 * (its first line) pass them. The memory reducer is made with the heap, before any JavaScript
 * runs, and once made it is only ever re-armed with a fixed delay of 8 s after a full
 * collection: its start delay above then no longer applies. Each time the relay was quiet (or
 * 100 s after the last full collection) it then ran one to three memory-reducing collections,
 * 25 to 54 ms each at 1,000 sessions. Without it, a quiet engine keeps the heap it grew to.
 */
export const RELAY_START_FLAGS = ['--no-memory-reducer'] as const;

/**
 * Sets {@link RELAY_HEAP_FLAGS} unless `heapTuning` is `off`; once per process, before start.
 * Warns when a flag of {@link RELAY_START_FLAGS} is missing from `execArgv` (node's own flags).
 */
export function applyHeapTuning(
  settings: Pick<EngineSettings, 'heapTuning'>,
  logger: Logger,
  setFlags: (flag: string) => void = setFlagsFromString,
  execArgv: readonly string[] = process.execArgv,
): void {
  const log = logger.child({ name: 'engine:heap' });
  if (settings.heapTuning === 'off') {
    return log.info({ heapTuning: 'off' }, 'V8 heap defaults kept');
  }
  for (const flag of RELAY_HEAP_FLAGS) setFlags(flag);
  const missing = RELAY_START_FLAGS.filter((flag) => !execArgv.includes(flag));
  if (missing.length > 0) {
    return log.warn(
      { flags: RELAY_HEAP_FLAGS, missing },
      'V8 heap tuned for relaying, but node was started without the missing flags' +
        ' (npm start and the tether command pass them)',
    );
  }
  log.info({ flags: [...RELAY_HEAP_FLAGS, ...RELAY_START_FLAGS] }, 'V8 heap tuned for relaying');
}
