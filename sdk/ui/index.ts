/**
 * The browser side of plugins: the panel contract and `definePanel`. Browser code only (it
 * needs the DOM); bundle it with esbuild (`sdk/ui/build-panels.mjs`).
 */
export { definePanel } from './define-panel.js';
export type * from './panel-contract.js';
