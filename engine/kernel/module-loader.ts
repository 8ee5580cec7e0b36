import type { Container } from 'inversify';
import type { Disposable } from '../contracts/disposable.js';
import type { EngineModule, ModuleContext } from '../contracts/engine-module-contract.js';
import type { EngineSettings } from '../contracts/engine-settings.js';
import type { Logger } from '../contracts/logger-contract.js';
import { isTetherError, TetherError } from '../errors.js';
import { defaultExport, resolveSpec } from './resolve-spec.js';

/** Where modules come from and what they bind into. */
export interface ModuleLoaderOptions {
  readonly container: Container;
  readonly settings: EngineSettings;
  readonly logger: Logger;
  /** Folder of the built-in adapter modules. */
  readonly adaptersDir: string;
  readonly cwd: string;
}

/**
 * Loads the modules named in `settings.modules`, in order. A module that cannot be found, is
 * malformed or fails to load stops the start with TETHER_E_MODULE naming it: the engine does
 * not run without its storage or key store.
 */
export async function loadModules(options: ModuleLoaderOptions): Promise<Disposable[]> {
  const loaded: Disposable[] = [];
  for (const spec of options.settings.modules) {
    const module = importModule(spec, options);
    const logger = options.logger.child({ name: `module:${module.name}` });
    const released = await runLoad(spec, module, moduleContext(module, logger, options));
    if (released) loaded.push(released);
    logger.info({ provides: module.provides.map((t) => t.description) }, 'module loaded');
  }
  return loaded;
}

function importModule(spec: string, options: ModuleLoaderOptions): EngineModule {
  let exported: unknown;
  try {
    exported = defaultExport(require(resolveSpec(spec, options.adaptersDir, options.cwd)));
  } catch (error) {
    throw moduleError(spec, `cannot be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  const module = exported as Partial<EngineModule>;
  const valid =
    typeof module?.name === 'string' &&
    Array.isArray(module.provides) &&
    module.provides.every((token) => typeof token === 'symbol') &&
    typeof module.load === 'function';
  if (!valid) throw moduleError(spec, 'is not an engine module (name, provides, load)');
  return module as EngineModule;
}

function moduleContext(
  module: EngineModule,
  logger: Logger,
  { container, settings }: ModuleLoaderOptions,
): ModuleContext {
  return {
    settings,
    logger,
    provide(token, value) {
      if (!module.provides.includes(token)) {
        throw moduleError(module.name, `binds ${token.description} without listing it`);
      }
      container.bind(token).toConstantValue(value);
    },
    get(token) {
      if (!container.isBound(token)) {
        throw new TetherError(
          'TETHER_E_CONTRACT_UNAVAILABLE',
          `No module provides ${token.description} before ${module.name}`,
        );
      }
      return container.get(token);
    },
  };
}

async function runLoad(spec: string, module: EngineModule, context: ModuleContext) {
  try {
    return (await module.load(context)) ?? undefined;
  } catch (error) {
    if (isTetherError(error, 'TETHER_E_MODULE') || isTetherError(error, 'TETHER_E_CONFIG')) {
      throw error;
    }
    throw moduleError(spec, `failed to load: ${(error as Error).message}`, error);
  }
}

function moduleError(spec: string, reason: string, cause?: unknown): TetherError {
  return new TetherError('TETHER_E_MODULE', `module ${spec} ${reason}`, { cause });
}
