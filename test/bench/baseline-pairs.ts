import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { ReceiverFragments } from '../../engine/gateway/receiver-fragments.js';
import type { FrameSender } from './throughput-run.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** The sending end of a raw TCP relay pair `pairId` on `port`. */
export async function rawTcpSender(port: number, pairId: string): Promise<FrameSender> {
  const socket = await tcpConnect(port, pairId);
  return {
    send: (payload) =>
      new Promise((resolve, reject) =>
        socket.write(payload, (error) => (error ? reject(error) : resolve())),
      ),
    buffered: () => socket.writableLength,
    close: () => socket.destroy(),
  };
}

function tcpConnect(port: number, pairId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const timer = setTimeout(
      () => socket.destroy(new Error('TCP connect timed out')),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('error', reject);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.write(`${pairId}\n`);
      resolve(socket);
    });
  });
}

/** Opens a WebSocket with the bench's options (this CA, no compression); resolves once open. */
export function openWebSocket(url: string, ca: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      ca,
      perMessageDeflate: false,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
      maxPayload: 2 << 20,
    });
    socket.once('open', () => {
      // As the engine does: ws's parser would otherwise promote every message it receives.
      const fragments = ReceiverFragments.of(socket);
      if (fragments) socket.on('message', () => fragments.reset());
      resolve(socket);
    });
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRefusedError(response.statusCode ?? 0));
      socket.terminate();
    });
  });
}

/** The server answered the WebSocket upgrade with an HTTP status instead of switching. */
export class UpgradeRefusedError extends Error {
  constructor(readonly status: number) {
    super(`the WebSocket upgrade was answered with HTTP ${status}`);
    this.name = 'UpgradeRefusedError';
  }
}

/** Resolves once `ws.send` has handed `payload` to the kernel. */
export function sendBinary(socket: WebSocket, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(payload, { binary: true }, (error) => (error ? reject(error) : resolve())),
  );
}

/** The sending end of a plain relay pair: a WebSocket to `url` (the pair's path). */
export async function plainWsSender(url: string, ca: string): Promise<FrameSender> {
  const socket = await openWebSocket(url, ca);
  return {
    send: (payload) => sendBinary(socket, payload),
    buffered: () => socket.bufferedAmount,
    close: () => socket.terminate(),
  };
}
