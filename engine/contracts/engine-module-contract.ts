import type { Disposable } from './disposable.js';
import type { EngineSettings } from './engine-settings.js';
import type { Logger } from './logger-contract.js';

/** What an engine module receives while it loads. */
export interface ModuleContext {
  readonly settings: EngineSettings;
  /** A logger named after the module (`module:storage-sequelize`). */
  readonly logger: Logger;
  /** Binds `value` to a contract token the module listed in `provides`. */
  provide<T>(token: symbol, value: T): void;
  /** A contract provided by a module loaded earlier; throws when none did. */
  get<T>(token: symbol): T;
}

/**
 * An adapter module: binds implementations of engine contracts (storage, bus, key store, ...).
 * The engine loads the modules named in its `modules` setting, in that order, and never imports
 * one by path, so swapping SQLite for PostgreSQL or the in-process bus for Redis is configuration.
 */
export interface EngineModule {
  readonly name: string;
  /** Tokens of the contracts the module binds; binding any other is refused. */
  readonly provides: readonly symbol[];
  /** Makes and binds the implementations; the Disposable (if any) releases them at stop. */
  load(context: ModuleContext): Promise<Disposable | void>;
}
