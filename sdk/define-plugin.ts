import type { TetherPlugin } from '../engine/contracts/plugin-contract.js';

/**
 * Declares a plugin: returns it unchanged, typed, so that the manifest and `activate` are checked
 * by the compiler before the engine checks the manifest again when the plugin registers. Export
 * the result as the default export of the plugin's folder or package.
 */
export function definePlugin(plugin: TetherPlugin): TetherPlugin {
  return plugin;
}
