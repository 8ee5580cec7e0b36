import { Container } from 'inversify';
import { MemoryBus } from '../../../adapters/bus-memory/memory-bus.js';
import { Bus } from '../../../engine/contracts/bus-contract.js';
import { Clock } from '../../../engine/contracts/clock-contract.js';
import { Logger } from '../../../engine/contracts/logger-contract.js';
import type { PluginManifest, TetherPlugin } from '../../../engine/contracts/plugin-contract.js';
import { ApiRegistry } from '../../../engine/http/api-registry.js';
import { SystemClock } from '../../../engine/kernel/system-clock.js';
import { createLogger } from '../../../engine/logging/create-logger.js';
import type { PluginCandidate } from '../../../engine/plugin-host/plugin-catalog.js';
import { PluginHost, type PluginHostOptions } from '../../../engine/plugin-host/plugin-host.js';
import { validateManifest } from '../../../engine/plugin-host/plugin-manifest.js';

/** A root container as the engine makes it, with the in-process bus standing in for modules. */
export function testRoot(): { root: Container; bus: MemoryBus; api: ApiRegistry } {
  const logger = createLogger({ level: 'silent', format: 'json' });
  const root = new Container();
  const bus = new MemoryBus(logger);
  root.bind(Logger).toConstantValue(logger);
  root.bind(Clock).toConstantValue(new SystemClock());
  root.bind(Bus).toConstantValue(bus);
  return { root, bus, api: new ApiRegistry(1024 * 1024) };
}

/** A host over `testRoot()` with short time limits. */
export function testHost(overrides: Partial<PluginHostOptions> = {}) {
  const scope = testRoot();
  const host = new PluginHost({
    engineVersion: '0.1.0',
    logger: createLogger({ level: 'silent', format: 'json' }),
    sources: { root: scope.root, api: scope.api },
    activateTimeoutMs: 200,
    deactivateTimeoutMs: 200,
    disabled: [],
    settingsOf: () => ({}),
    ...overrides,
  });
  return { host, ...scope };
}

/** A manifest with the defaults filled in. */
export function manifest(name: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { name, version: '1.0.0', engine: '^0.1.0', ...extra };
}

/** A loaded, checked candidate as the catalog would produce it. */
export function candidate(plugin: TetherPlugin): PluginCandidate {
  const checked = validateManifest(plugin.manifest, `test:${plugin.manifest.name}`);
  return {
    ok: true,
    origin: 'configured',
    location: `test:${checked.name}`,
    plugin,
    manifest: checked,
  };
}

/** A plugin that only notes when it was activated. */
export function recording(name: string, log: string[], extra: Partial<PluginManifest> = {}) {
  return candidate({
    manifest: manifest(name, extra),
    activate: () => {
      log.push(`activate ${name}`);
    },
    deactivate: () => {
      log.push(`deactivate ${name}`);
    },
  });
}

/** A GET route that answers `{ ok: true }`. */
export function okRoute(path: string) {
  return {
    method: 'GET' as const,
    path,
    operationId: `get${path.replace(/\W/g, '')}`,
    summary: 'test route',
    responses: { 200: { description: 'ok' } },
    handler: async () => ({ body: { ok: true } }),
  };
}

/** Waits up to `ms` for `check` to hold. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
