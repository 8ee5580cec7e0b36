import path from 'node:path';
import { DIST_ROOT } from '../../engine/version.js';

/** Compiled folder of a test fixture plugin. */
export function fixturePlugin(name: string): string {
  return path.join(DIST_ROOT, 'test', 'fixtures', 'plugins', name);
}

/** Compiled folder of a sample plugin. */
export function samplePlugin(name: string): string {
  return path.join(DIST_ROOT, 'samples', 'plugins', name);
}

/** The compiled CLI. */
export const CLI = path.join(DIST_ROOT, 'engine', 'cli', 'tether-cli.js');
