import semver from 'semver';
import type { PluginManifest } from '../contracts/plugin-contract.js';
import { TetherError } from '../errors.js';

/** The result of ordering: who can start, in what order, and who is left out and why. */
export interface DependencyOrder<T> {
  readonly ordered: readonly T[];
  readonly leftOut: ReadonlyMap<string, TetherError>;
}

/**
 * Orders plugins so that each comes after the plugins it requires. A plugin is left out when a
 * plugin it needs is missing, has a version outside the range, is left out itself, or when the
 * plugins need each other in a cycle. The order among independent plugins is by name.
 */
export function orderByDependencies<T extends { readonly manifest: PluginManifest }>(
  plugins: readonly T[],
): DependencyOrder<T> {
  const byName = new Map(plugins.map((plugin) => [plugin.manifest.name, plugin]));
  const leftOut = new Map<string, TetherError>();
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (plugin: T, trail: string[]): boolean => {
    const { name } = plugin.manifest;
    if (state.get(name) === 'done') return !leftOut.has(name);
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      for (const member of trail.slice(trail.indexOf(name))) {
        leftOut.set(member, error('TETHER_E_PLUGIN_DEPENDENCY_CYCLE', member, `cycle ${cycle}`));
      }
      return false;
    }
    state.set(name, 'visiting');
    const problem = dependencyProblem(plugin.manifest, byName, (needed) =>
      visit(needed, [...trail, name]),
    );
    state.set(name, 'done');
    if (problem && !leftOut.has(name)) leftOut.set(name, problem);
    if (leftOut.has(name)) return false;
    ordered.push(plugin);
    return true;
  };

  const sorted = [...plugins].sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  for (const plugin of sorted) visit(plugin, []);
  return { ordered, leftOut };
}

function dependencyProblem<T extends { readonly manifest: PluginManifest }>(
  manifest: PluginManifest,
  byName: ReadonlyMap<string, T>,
  visitNeeded: (needed: T) => boolean,
): TetherError | undefined {
  for (const [needName, range] of Object.entries(manifest.requires ?? {})) {
    const needed = byName.get(needName);
    const code = 'TETHER_E_PLUGIN_DEPENDENCY_MISSING';
    if (!needed) return error(code, manifest.name, `needs ${needName}, which is not loaded`);
    if (!semver.satisfies(needed.manifest.version, range, { includePrerelease: true })) {
      const found = needed.manifest.version;
      return error(code, manifest.name, `needs ${needName} ${range}, found ${found}`);
    }
    if (!visitNeeded(needed)) return error(code, manifest.name, `needs ${needName}, left out`);
  }
  return undefined;
}

function error(
  code: 'TETHER_E_PLUGIN_DEPENDENCY_MISSING' | 'TETHER_E_PLUGIN_DEPENDENCY_CYCLE',
  plugin: string,
  reason: string,
): TetherError {
  return new TetherError(code, `plugin ${plugin}: ${reason}`, { details: { plugin } });
}
