import type { DependencyContainer } from 'tsyringe';
import type { PluginContext } from '../engine/contracts/plugin-contract.js';
import { PLUGIN_CONTRACT_TOKENS } from '../engine/contracts/plugin-contract-tokens.js';

/** Token under which the bridge registers the plugin's own context in the tsyringe container. */
export const PluginContextToken = Symbol.for('tether.PluginContext');

/**
 * For plugins that bring their own tsyringe container: registers in `container` each engine
 * contract the manifest declared (under the same Symbol tokens the engine uses, so
 * `@inject(Clock)` works) and the plugin's context. Undeclared contracts stay absent, exactly as
 * in the inversify container the engine made for the plugin. Returns `container`.
 */
export function bridgeToTsyringe(
  context: PluginContext,
  container: DependencyContainer,
): DependencyContainer {
  for (const name of context.manifest.contracts ?? []) {
    const token = PLUGIN_CONTRACT_TOKENS[name];
    container.register(token, { useValue: context.get(token) });
  }
  container.register(PluginContextToken, { useValue: context });
  return container;
}
