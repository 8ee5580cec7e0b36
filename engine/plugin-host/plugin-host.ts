import semver from 'semver';
import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';
import type {
  ActivationResult,
  PermissionDeclaration,
  PluginManifest,
  PluginUi,
  TetherPlugin,
} from '../contracts/plugin-contract.js';
import { isTetherError, TetherError, type ErrorCode } from '../errors.js';
import { DisposableStore } from '../kernel/disposable-store.js';
import { TimeoutError, withTimeout } from '../kernel/with-timeout.js';
import { orderByDependencies } from './dependency-order.js';
import type { PluginCandidate, PluginOrigin } from './plugin-catalog.js';
import { buildPluginContainer, buildPluginContext, type ScopeSources } from './plugin-scope.js';

/** Where a plugin stands. */
export type PluginState = 'active' | 'failed' | 'left-out' | 'disabled' | 'stopped';

/** One line of the host's report. */
export interface PluginStatus {
  readonly name: string;
  readonly version?: string;
  readonly origin: PluginOrigin;
  readonly location: string;
  readonly state: PluginState;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

/** An active plugin's browser panels and the folder or file it was loaded from. */
export interface ActivePanels {
  readonly name: string;
  readonly location: string;
  readonly ui: PluginUi;
  readonly manifest: PluginManifest;
}

/** What the host needs besides the plugins. */
export interface PluginHostOptions {
  readonly engineVersion: string;
  readonly logger: Logger;
  readonly sources: ScopeSources;
  readonly activateTimeoutMs: number;
  readonly deactivateTimeoutMs: number;
  readonly disabled: readonly string[];
  readonly settingsOf: (plugin: string) => Readonly<Record<string, unknown>>;
}

interface ActivePlugin {
  readonly plugin: TetherPlugin;
  readonly store: DisposableStore;
  readonly abort: AbortController;
  readonly logger: Logger;
}

type Loaded = Extract<PluginCandidate, { ok: true }>;

/**
 * Runs plugins: checks them, orders them by their dependencies, activates each in its own
 * container with a time limit, and stops them in reverse order. A plugin that fails is reported
 * and left out; the engine and the other plugins keep running.
 */
export class PluginHost {
  private readonly statuses = new Map<string, PluginStatus>();
  private readonly active = new Map<string, ActivePlugin>();
  private readonly order: string[] = [];

  constructor(private readonly options: PluginHostOptions) {}

  /** The report, in the order the plugins were considered. */
  report(): readonly PluginStatus[] {
    return [...this.statuses.values()];
  }

  /** The permissions the active plugins declared. */
  activePermissions(): readonly PermissionDeclaration[] {
    return [...this.active.values()].flatMap(({ plugin }) => plugin.manifest.permissions ?? []);
  }

  /** The browser panels of the active plugins, with where each plugin was loaded from. */
  activePanels(): readonly ActivePanels[] {
    return [...this.active.entries()].flatMap(([name, { plugin }]) => {
      const ui = plugin.manifest.ui;
      const location = this.statuses.get(name)?.location;
      return ui && location ? [{ name, location, ui, manifest: plugin.manifest }] : [];
    });
  }

  /** Activates what can be activated; never throws for a plugin's fault. */
  async start(candidates: readonly PluginCandidate[]): Promise<void> {
    const runnable = this.admit(candidates);
    const { ordered, leftOut } = orderByDependencies(runnable);
    for (const [name, error] of leftOut) {
      const candidate = runnable.find((c) => c.manifest.name === name);
      if (candidate) this.record(candidate, 'left-out', error);
    }
    for (const candidate of ordered) {
      const blocker = Object.keys(candidate.manifest.requires ?? {}).find(
        (needed) => !this.active.has(needed),
      );
      if (blocker === undefined) await this.activate(candidate);
      else this.record(candidate, 'left-out', dependencyFailed(candidate.manifest, blocker));
    }
  }

  /** Stops the active plugins, last activated first, each within the time limit. */
  async stop(): Promise<void> {
    for (const name of this.order.splice(0).reverse()) {
      const running = this.active.get(name);
      if (!running) continue;
      this.active.delete(name);
      await this.deactivate(name, running);
    }
  }

  private admit(candidates: readonly PluginCandidate[]): Loaded[] {
    const admitted: Loaded[] = [];
    const seen = new Map<string, string>();
    for (const candidate of candidates) {
      if (!candidate.ok) {
        this.record(candidate, 'failed', candidate.error, candidate.location);
        continue;
      }
      const { name, engine } = candidate.manifest;
      const first = seen.get(name) ?? this.statuses.get(name)?.location;
      seen.set(name, first ?? candidate.location);
      if (first !== undefined) {
        const reason = `is loaded from ${first} already`;
        const duplicate = hostError('TETHER_E_PLUGIN_DUPLICATE', name, reason);
        this.record(candidate, 'failed', duplicate, `${name}@${candidate.location}`);
      } else if (this.options.disabled.includes(name)) {
        this.record(candidate, 'disabled');
      } else if (
        !semver.satisfies(this.options.engineVersion, engine, { includePrerelease: true })
      ) {
        const reason = `supports engine ${engine}, this is ${this.options.engineVersion}`;
        this.record(candidate, 'left-out', hostError('TETHER_E_PLUGIN_ENGINE_RANGE', name, reason));
      } else {
        admitted.push(candidate);
      }
    }
    return admitted;
  }

  private async activate(candidate: Loaded): Promise<void> {
    const { manifest, plugin } = candidate;
    const logger = this.options.logger.child({ name: `plugin:${manifest.name}` });
    const store = new DisposableStore(logger, `plugin ${manifest.name}`);
    const abort = new AbortController();
    const started = Date.now();
    try {
      const container = buildPluginContainer(manifest, this.options.sources, store);
      const settings = this.options.settingsOf(manifest.name);
      const context = buildPluginContext(
        manifest,
        container,
        store,
        logger,
        settings,
        abort.signal,
      );
      const work = Promise.resolve().then(() => plugin.activate(context));
      keepLateRegistrations(work, store);
      const result = await withTimeout(work, this.options.activateTimeoutMs);
      for (const item of asDisposables(result)) store.add(item);
    } catch (error) {
      abort.abort();
      await store.dispose();
      this.record(candidate, 'failed', activationError(manifest.name, error));
      return;
    }
    this.active.set(manifest.name, { plugin, store, abort, logger });
    this.order.push(manifest.name);
    this.record(candidate, 'active');
    logger.info({ version: manifest.version, ms: Date.now() - started }, 'plugin activated');
  }

  private async deactivate(name: string, running: ActivePlugin): Promise<void> {
    const { plugin, store, abort, logger } = running;
    try {
      const work = Promise.resolve().then(() => plugin.deactivate?.());
      await withTimeout(work, this.options.deactivateTimeoutMs);
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      const code = timedOut ? 'TETHER_E_PLUGIN_DEACTIVATE_TIMEOUT' : 'TETHER_E_PLUGIN_LOAD';
      logger.error({ code, err: timedOut ? undefined : error }, 'plugin deactivate failed');
    }
    abort.abort();
    const failures = await store.dispose();
    const status = this.statuses.get(name);
    if (status) this.statuses.set(name, { ...status, state: 'stopped' });
    logger.info({ failures }, 'plugin stopped');
  }

  /** Notes where a plugin stands and logs why when it is not running. */
  private record(
    candidate: PluginCandidate,
    state: PluginState,
    error?: TetherError,
    key?: string,
  ): void {
    const manifest = candidate.ok ? candidate.manifest : undefined;
    const name = manifest?.name ?? candidate.location;
    this.statuses.set(key ?? name, {
      name,
      version: manifest?.version,
      origin: candidate.origin,
      location: candidate.location,
      state,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    });
    if (!error) return;
    const fields = { plugin: name, code: error.code, err: error.cause };
    if (state === 'failed') this.options.logger.error(fields, error.message);
    else this.options.logger.warn(fields, error.message);
  }
}

/** A hung activate may still register things after its time ran out: undo those at once. */
function keepLateRegistrations(work: Promise<ActivationResult>, store: DisposableStore): void {
  work.then(
    (late) => {
      if (!store.isDisposed) return;
      for (const item of asDisposables(late)) void store.disposeNow(item);
    },
    () => 'reported by the activation path',
  );
}

function asDisposables(result: ActivationResult): readonly Disposable[] {
  if (result === undefined) return [];
  return Array.isArray(result) ? result : [result as Disposable];
}

function activationError(plugin: string, error: unknown): TetherError {
  if (error instanceof TimeoutError) {
    return hostError('TETHER_E_PLUGIN_ACTIVATE_TIMEOUT', plugin, `activate ${error.message}`);
  }
  if (isTetherError(error) && error.code !== 'TETHER_E_INTERNAL') return error;
  const reason = `activate threw: ${(error as Error)?.message ?? String(error)}`;
  return new TetherError('TETHER_E_PLUGIN_ACTIVATE_FAILED', `plugin ${plugin}: ${reason}`, {
    cause: error,
  });
}

function dependencyFailed(manifest: PluginManifest, blocker: string): TetherError {
  const reason = `needs ${blocker}, which did not activate`;
  return hostError('TETHER_E_PLUGIN_DEPENDENCY_MISSING', manifest.name, reason);
}

function hostError(code: ErrorCode, plugin: string, reason: string): TetherError {
  return new TetherError(code, `plugin ${plugin}: ${reason}`, { details: { plugin } });
}
