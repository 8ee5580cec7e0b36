import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Turns a module or plugin spec into something `require` loads: a bare name found under
 * `builtinDir`, a folder path (`./x`, `/x`, `../x`) resolved against `cwd`, else a package name
 * resolved from `cwd`.
 */
export function resolveSpec(spec: string, builtinDir: string, cwd: string): string {
  if (/^(\.{1,2}[\\/]|\/)/.test(spec)) return path.resolve(cwd, spec);
  const builtin = path.join(builtinDir, spec);
  if (/^[a-z0-9-]+$/.test(spec) && existsSync(builtin)) return builtin;
  return require.resolve(spec, { paths: [cwd] });
}

/** The default export of a loaded module, CommonJS or compiled from ESM. */
export function defaultExport(loaded: unknown): unknown {
  const withDefault = loaded as { default?: unknown } | undefined;
  return withDefault?.default ?? loaded;
}
