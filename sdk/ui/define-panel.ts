import type { PanelModule } from './panel-contract.js';

/**
 * Declares a plugin's panel: the default export of a module named in the manifest's `ui`.
 * It returns its argument, typed, so that a page can check `side` before it mounts.
 */
export function definePanel<M extends PanelModule>(panel: M): M {
  return panel;
}
