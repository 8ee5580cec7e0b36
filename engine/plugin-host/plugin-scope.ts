import { Container } from 'inversify';
import type { Bus } from '../contracts/bus-contract.js';
import type { HttpRoutes } from '../contracts/http-routes-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { PluginContext, PluginManifest } from '../contracts/plugin-contract.js';
import type { PluginData } from '../contracts/plugin-data-contract.js';
import { Storage } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { ApiRegistry } from '../http/api-registry.js';
import type { DisposableStore } from '../kernel/disposable-store.js';
import { PLUGIN_CONTRACT_TOKENS } from '../contracts/plugin-contract-tokens.js';

/** The engine services a plugin's scope is cut from. */
export interface ScopeSources {
  /** The engine's root container; read here, never handed to a plugin. */
  readonly root: Container;
  readonly api: ApiRegistry;
}

/** Prefix of every plugin's API routes. */
export function pluginRoutePrefix(name: string): string {
  return `/api/v1/plugins/${name}`;
}

/**
 * Builds a plugin's own container: a fresh one (not a child of the root, so nothing undeclared
 * leaks through the parent chain) holding exactly the declared contracts. Bus, HttpRoutes and
 * PluginData are bound as views of the plugin, which track what it registers in `store`.
 */
export function buildPluginContainer(
  manifest: PluginManifest,
  sources: ScopeSources,
  store: DisposableStore,
): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  for (const name of manifest.contracts ?? []) {
    const token = PLUGIN_CONTRACT_TOKENS[name];
    container.bind(token).toConstantValue(view(name, token, manifest.name, sources, store));
  }
  return container;
}

function view(
  name: string,
  token: symbol,
  plugin: string,
  sources: ScopeSources,
  store: DisposableStore,
): unknown {
  if (name === 'HttpRoutes') return routesView(plugin, sources.api, store);
  if (name === 'PluginData') {
    return dataView(plugin, resolveToken(sources.root, Storage, 'Storage', plugin) as Storage);
  }
  const service = resolveToken(sources.root, token, name, plugin);
  if (name === 'Bus') return busView(service as Bus, store);
  return service;
}

function resolveToken(root: Container, token: symbol, name: string, plugin: string): unknown {
  if (!root.isBound(token)) {
    throw new TetherError(
      'TETHER_E_CONTRACT_UNAVAILABLE',
      `plugin ${plugin}: needs ${name}, which no loaded module provides`,
    );
  }
  return root.get(token);
}

function routesView(plugin: string, api: ApiRegistry, store: DisposableStore): HttpRoutes {
  return {
    register: (route) => store.add(api.register(route, plugin, pluginRoutePrefix(plugin))),
  };
}

function dataView(plugin: string, storage: Storage): PluginData {
  return { forTenant: (tenantId) => storage.forTenant(tenantId).pluginRecords(plugin) };
}

function busView(bus: Bus, store: DisposableStore): Bus {
  return {
    publish: (topic, message) => bus.publish(topic, message),
    subscribe: async (topic, handler) => store.add(await bus.subscribe(topic, handler)),
  };
}

/** The context handed to `activate`. */
export function buildPluginContext(
  manifest: PluginManifest,
  container: Container,
  store: DisposableStore,
  logger: Logger,
  settings: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
): PluginContext {
  return {
    manifest,
    logger,
    settings,
    container,
    signal,
    track: (disposable) => store.add(disposable),
    get<T>(token: symbol): T {
      if (!container.isBound(token)) {
        throw new TetherError(
          'TETHER_E_PLUGIN_UNDECLARED_CONTRACT',
          `plugin ${manifest.name}: ${token.description ?? 'that contract'} is not in its manifest`,
        );
      }
      return container.get<T>(token);
    },
  };
}
