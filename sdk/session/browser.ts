/**
 * The browser build of the session client (`npm run build:browser` bundles this file into
 * `dist/browser/tether-session.js`, ESM): {@link SessionClient} wired to the page's WebSocket
 * and WebCrypto, plus consent and chat. It pulls in no Node module; WebCrypto needs a secure
 * context (https, or http://127.0.0.1).
 */
import nacl from 'tweetnacl';
import { webCryptoBackend } from '../crypto/web-crypto-backend.js';
import { SessionClient as BaseSessionClient, type SessionClientOptions } from './session-client.js';
import type { WebSocketFactory, WebSocketLike } from './web-socket-like.js';

const MAX_RANDOM_CHUNK = 65536;

// tweetnacl finds its randomness through `self.crypto`, which pages and workers have but not
// every platform that runs ES modules; WebCrypto's getRandomValues is there wherever
// crypto.subtle is, so it is tweetnacl's source in this build.
nacl.setPRNG((out, length) => {
  for (let offset = 0; offset < length; offset += MAX_RANDOM_CHUNK) {
    const chunk = new Uint8Array(Math.min(MAX_RANDOM_CHUNK, length - offset));
    globalThis.crypto.getRandomValues(chunk);
    out.set(chunk, offset);
  }
});

/** {@link SessionClientOptions} with the page's WebSocket and WebCrypto as defaults. */
export type BrowserSessionClientOptions = Omit<SessionClientOptions, 'webSocket' | 'backend'> &
  Partial<Pick<SessionClientOptions, 'webSocket' | 'backend'>>;

/** Opens WebSockets with the page's global `WebSocket`. */
export function browserWebSocketFactory(): WebSocketFactory {
  const { WebSocket } = globalThis as unknown as {
    WebSocket?: new (url: string) => WebSocketLike;
  };
  if (WebSocket === undefined) throw new TypeError('this platform has no global WebSocket');
  return (url) => new WebSocket(url);
}

/** The session client on the page's WebSocket and WebCrypto (`crypto.subtle`). */
export class SessionClient extends BaseSessionClient {
  constructor(options: BrowserSessionClientOptions) {
    super({
      ...options,
      webSocket: options.webSocket ?? browserWebSocketFactory(),
      backend: options.backend ?? webCryptoBackend(),
    });
  }
}

export { webCryptoBackend } from '../crypto/web-crypto-backend.js';
export { EndUserConsent, type ConsentQuestion } from './end-user-consent.js';
export { TechnicianConsent } from './technician-consent.js';
export { ChatChannel, type ChatMessage } from './chat-channel.js';
export { SessionClientError } from './session-client-error.js';
export type {
  SessionClientEvents,
  SessionClosed,
  SessionMessage,
  SessionPeer,
} from './session-client.js';
export type { GatewayCredentials, SessionState } from './gateway-credentials.js';
