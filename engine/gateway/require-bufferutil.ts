import { TetherError } from '../errors.js';

/**
 * Checks that ws masks and unmasks frames with the native `bufferutil` addon: without it ws is
 * about five times slower, which a relay cannot afford. The package falls back to plain
 * JavaScript when its addon does not load, so the fallback counts as missing. Returns the path
 * of the module ws loads.
 */
export function requireBufferutil(): string {
  if (process.env.WS_NO_BUFFER_UTIL) {
    throw new TetherError('TETHER_E_CONFIG', 'WS_NO_BUFFER_UTIL is set: the gateway needs it');
  }
  let loaded: unknown;
  let fallback: unknown;
  try {
    loaded = require('bufferutil');
    fallback = require('bufferutil/fallback');
  } catch (error) {
    throw new TetherError('TETHER_E_CONFIG', 'the gateway needs the bufferutil package', {
      cause: error,
    });
  }
  if (loaded === fallback) {
    throw new TetherError('TETHER_E_CONFIG', 'bufferutil loaded without its native addon');
  }
  return require.resolve('bufferutil');
}
