import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder that holds package.json, engine/, plugins/ and the rest (above `dist/`). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** The compiled tree: where the built-in plugins, adapters and samples are loaded from. */
export const DIST_ROOT = path.resolve(__dirname, '..');

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  return String(manifest.version);
}

/** The engine's version; plugin manifests state the range of it they support. */
export const ENGINE_VERSION = readVersion();
