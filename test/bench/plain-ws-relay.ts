import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadTlsIdentity } from '../../engine/http/tls-certificate.js';
import { createLogger } from '../../engine/logging/create-logger.js';
import { requireBufferutil } from './bench-checks.js';

/**
 * The plain WebSocket baseline: a `ws` server on a TLS 1.3 listener made like the engine's
 * (a self-signed P-256 certificate by the engine's own code, bufferutil loaded), that pairs two
 * clients by URL path and forwards each binary message to the other as it is. It prints
 * `{"port":N,"cert":"PEM"}` once listening on 127.0.0.1. With `--no-tls` it listens on plain
 * HTTP instead (cert empty): a reference row only, to show what TLS costs here.
 */
const waiting = new Map<string, WebSocket>();

function onConnection(socket: WebSocket, pairId: string): void {
  socket.on('error', () => socket.terminate());
  const other = waiting.get(pairId);
  if (!other) {
    waiting.set(pairId, socket);
    socket.on('close', () => waiting.get(pairId) === socket && waiting.delete(pairId));
    return;
  }
  waiting.delete(pairId);
  link(other, socket);
  link(socket, other);
}

function link(from: WebSocket, to: WebSocket): void {
  from.on('message', (data, isBinary) => {
    if (to.readyState === to.OPEN) to.send(data, { binary: isBinary });
  });
  from.on('close', () => to.close());
}

async function main(): Promise<void> {
  requireBufferutil();
  if (process.argv.includes('--no-tls')) return listen(createHttpServer(), '');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tether-bench-ws-'));
  const logger = createLogger({ level: 'silent', format: 'json' });
  const tls = await loadTlsIdentity({ dataDir, host: '127.0.0.1' }, logger);
  await rm(dataDir, { recursive: true, force: true });

  const options = { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' };
  listen(createServer(options as Parameters<typeof createServer>[0]), tls.cert);
}

function listen(server: ReturnType<typeof createHttpServer>, cert: string): void {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1 << 20 });
  wss.on('connection', (socket, request) => onConnection(socket, request.url ?? '/'));
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(JSON.stringify({ port, cert }) + '\n');
  });
}

process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
main().catch((error: unknown) => {
  process.stderr.write(`plain-ws-relay: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
