/** What a close event tells: the WebSocket close code and its text. */
export interface WebSocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/**
 * The part of the WebSocket API the session client uses; the browser's global `WebSocket` and
 * the `ws` package's both have it. The client sets `binaryType` to `'arraybuffer'`, so binary
 * messages arrive as ArrayBuffer and text messages as strings.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: WebSocketCloseEvent) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket to `url` (a `wss://…/gateway` address); called once per connection try. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** The bytes of a binary message's `data` (ArrayBuffer or a view), else undefined. */
export function binaryData(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof Uint8Array) return data;
  return undefined;
}

/** `readyState` of an open WebSocket, the same number everywhere. */
export const WEB_SOCKET_OPEN = 1;
