/**
 * What integrators import to write a Tether plugin: the engine contracts and their tokens, the
 * error type, `definePlugin`, the tsyringe bridge, and zod for route schemas (the engine's own
 * copy, so schemas built here convert to OpenAPI exactly as the engine's do).
 */
export * from '../engine/contracts/index.js';
export { TetherError, isTetherError, type ErrorCode } from '../engine/errors.js';
export { definePlugin } from './define-plugin.js';
export { bridgeToTsyringe, PluginContextToken } from './tsyringe-bridge.js';
export { z } from 'zod';
export * from './crypto/index.js';
export * from './session/index.js';
/** Node only: the session client's WebSocket factory on the `ws` package. */
export { nodeWebSocketFactory } from './session/node-web-socket.js';
