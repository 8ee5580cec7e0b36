import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { PluginManifest, TetherPlugin } from '../contracts/plugin-contract.js';
import { isTetherError, TetherError } from '../errors.js';
import { defaultExport, resolveSpec } from '../kernel/resolve-spec.js';
import { validateManifest } from './plugin-manifest.js';

/** Where a plugin came from. */
export type PluginOrigin = 'built-in' | 'sample' | 'configured';

/** A plugin found by the catalog: loaded and checked, or the error that stopped it. */
export type PluginCandidate =
  | {
      readonly ok: true;
      readonly origin: PluginOrigin;
      readonly location: string;
      readonly plugin: TetherPlugin;
      readonly manifest: PluginManifest;
    }
  | {
      readonly ok: false;
      readonly origin: PluginOrigin;
      readonly location: string;
      readonly error: TetherError;
    };

/** The folders the catalog looks in and the extra specs it loads. */
export interface CatalogOptions {
  /** Folder holding the compiled `plugins/` and `samples/plugins/`. */
  readonly distRoot: string;
  readonly cwd: string;
  /** Folder paths or package names from the `plugins` setting. */
  readonly extra: readonly string[];
  /** Whether to list the samples too (`tether plugins list` does; a start loads only extras). */
  readonly withSamples: boolean;
}

/** Finds, loads and checks the built-in plugins, the samples if asked and the configured ones. */
export function discoverPlugins(options: CatalogOptions): PluginCandidate[] {
  const builtinDir = path.join(options.distRoot, 'plugins');
  const found: Array<[PluginOrigin, string]> = folders(builtinDir).map((dir) => ['built-in', dir]);
  if (options.withSamples) {
    const samples = folders(path.join(options.distRoot, 'samples', 'plugins'));
    found.push(...samples.map((dir): [PluginOrigin, string] => ['sample', dir]));
  }
  for (const spec of options.extra) {
    const location = locate(spec, builtinDir, options.cwd);
    if (!found.some(([, known]) => known === location)) found.push(['configured', location]);
  }
  return found.map(([origin, location]) => loadCandidate(origin, location));
}

function folders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'index.js')))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

function locate(spec: string, builtinDir: string, cwd: string): string {
  try {
    return resolveSpec(spec, builtinDir, cwd);
  } catch {
    return spec; // loadCandidate reports it, with the reason require gives.
  }
}

function loadCandidate(origin: PluginOrigin, location: string): PluginCandidate {
  try {
    const plugin = defaultExport(require(location)) as Partial<TetherPlugin> | undefined;
    if (typeof plugin?.activate !== 'function') {
      throw new TetherError('TETHER_E_PLUGIN_LOAD', `plugin ${location}: no activate function`);
    }
    const manifest = validateManifest(plugin.manifest, location);
    return { ok: true, origin, location, plugin: plugin as TetherPlugin, manifest };
  } catch (error) {
    const reason = isTetherError(error)
      ? error
      : new TetherError(
          'TETHER_E_PLUGIN_LOAD',
          `plugin ${location}: cannot be loaded (${(error as Error).message.split('\n')[0]})`,
          { cause: error },
        );
    return { ok: false, origin, location, error: reason };
  }
}
