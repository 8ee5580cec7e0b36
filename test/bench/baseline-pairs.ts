import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { StreamPair } from './stream-pair.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Two TCP connections to the raw relay on `port`, paired by a fresh id. */
export async function rawTcpPair(port: number): Promise<StreamPair> {
  const id = randomUUID();
  const sender = await tcpConnect(port, id);
  const receiver = await tcpConnect(port, id);
  return {
    send: (payload) =>
      new Promise((resolve, reject) =>
        sender.write(payload, (error) => (error ? reject(error) : resolve())),
      ),
    buffered: () => sender.writableLength,
    onReceive: (onBytes) => receiver.on('data', (chunk: Buffer) => onBytes(chunk.length)),
    close: () => {
      sender.destroy();
      receiver.destroy();
    },
  };
}

function tcpConnect(port: number, pairId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error('TCP connect timed out')), 10_000);
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
    socket.once('open', () => resolve(socket));
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

/** Two WebSockets to the plain relay at `baseUrl`, paired by a fresh path. */
export async function plainWsPair(baseUrl: string, ca: string): Promise<StreamPair> {
  const url = `${baseUrl}/pair/${randomUUID()}`;
  const sender = await openWebSocket(url, ca);
  const receiver = await openWebSocket(url, ca);
  return {
    send: (payload) => sendBinary(sender, payload),
    buffered: () => sender.bufferedAmount,
    onReceive: (onBytes) => receiver.on('message', (data: Buffer) => onBytes(data.length)),
    close: () => {
      sender.terminate();
      receiver.terminate();
    },
  };
}
