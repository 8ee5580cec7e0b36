import WebSocket, { type ClientOptions } from 'ws';
import type { WebSocketFactory, WebSocketLike } from './web-socket-like.js';

/**
 * Node: a {@link WebSocketFactory} on the `ws` package. `options` go to every connection, for
 * example `{ ca }` to trust a self-signed engine certificate (prefer it to
 * `rejectUnauthorized: false`, which trusts anyone and leaves only the pinned engine key).
 * Node programs send no `Origin` header, as the gateway expects.
 */
export function nodeWebSocketFactory(options: ClientOptions = {}): WebSocketFactory {
  return (url) => {
    const socket = new WebSocket(url, { ...options, perMessageDeflate: false });
    // ws implements the same event-handler properties as the browser's WebSocket; its typings
    // name its own event classes, so the two shapes only differ on paper.
    return socket as unknown as WebSocketLike;
  };
}
