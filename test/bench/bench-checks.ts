import { createRequire } from 'node:module';

/**
 * Throws unless `bufferutil` loads: without it `ws` masks frames in JavaScript and a relay moves
 * about a fifth of what it could, which would make every ratio meaningless.
 */
export function requireBufferutil(): void {
  const require = createRequire(__filename);
  try {
    const loaded = require('bufferutil') as { mask?: unknown };
    if (typeof loaded.mask !== 'function') throw new Error('bufferutil has no mask()');
  } catch (error) {
    throw new Error(`bufferutil did not load: ${(error as Error).message}`, { cause: error });
  }
}
