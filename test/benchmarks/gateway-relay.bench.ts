// On-demand benchmark (not a mocha spec): `node dist/test/benchmarks/gateway-relay.bench.js`.
// Moves 64 KiB frames from a technician to an end user through the gateway and through a plain
// ws relay on the same kind of TLS server, and prints both rates and their ratio.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { loadTlsIdentity } from '../../engine/http/tls-certificate.js';
import { createLogger } from '../../engine/logging/create-logger.js';
import {
  endUserAuth,
  envelope,
  startGatewayHarness,
  technicianAuth,
} from '../engine/gateway/gateway-harness.js';

const FRAME = 64 * 1024;
const TOTAL = 512 * 1024 * 1024;
const SESSION = 'bench-session';

async function pump(sender: WebSocket, receiver: WebSocket, message: Buffer): Promise<number> {
  const count = Math.floor(TOTAL / FRAME);
  let received = 0;
  const done = new Promise<void>((resolve) => {
    receiver.on('message', () => ++received === count && resolve());
  });
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < count; sent++) {
    while (sender.bufferedAmount > 4 * 1024 * 1024 || sent - received > 256) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    sender.send(message);
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (count * FRAME) / seconds / 1e6;
}

async function plainRelay(): Promise<number> {
  const folder = await mkdtemp(path.join(tmpdir(), 'tether-bench-'));
  const logger = createLogger({ level: 'silent', format: 'json' });
  const tls = await loadTlsIdentity({ dataDir: folder, host: '127.0.0.1' }, logger);
  const server = createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.3' });
  const wss = new WebSocketServer({ server, maxPayload: 2 * 1024 * 1024 });
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => sockets.find((other) => other !== ws)?.send(data as Buffer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const open = async () => {
    const ws = new WebSocket(url, { ca: tls.cert });
    await new Promise((resolve) => ws.once('open', resolve));
    return ws;
  };
  const a = await open();
  const b = await open();
  const rate = await pump(a, b, randomBytes(FRAME + 8));
  a.terminate();
  b.terminate();
  wss.close();
  server.close();
  server.closeAllConnections();
  await rm(folder, { recursive: true, force: true });
  return rate;
}

async function gatewayRelay(): Promise<number> {
  const harness = await startGatewayHarness({ maxFrameBytes: 2 * 1024 * 1024 });
  harness.port.addSession(SESSION);
  harness.port.addEndUser(SESSION, 'eu-1', 'secret');
  harness.port.addTechnician(SESSION, 'tech-1', 'token');
  const user = await harness.connect();
  user.send(endUserAuth(SESSION, 'eu-1', 'secret'));
  await user.next('ready');
  const tech = await harness.connect();
  tech.send(technicianAuth(SESSION, 'token'));
  await tech.next('ready');
  user.ws.removeAllListeners('message');
  const rate = await pump(tech.ws, user.ws, envelope('eu-1', randomBytes(FRAME)));
  await harness.stop();
  return rate;
}

async function main(): Promise<void> {
  const plain: number[] = [];
  const gateway: number[] = [];
  for (let round = 0; round < 3; round++) {
    plain.push(await plainRelay());
    gateway.push(await gatewayRelay());
  }
  const best = (rates: number[]) => Math.max(...rates);
  console.log(`plain ws relay: ${plain.map((r) => r.toFixed(0)).join(', ')} MB/s`);
  console.log(`gateway relay:  ${gateway.map((r) => r.toFixed(0)).join(', ')} MB/s`);
  console.log(`ratio (best of each): ${(best(gateway) / best(plain)).toFixed(2)}`);
  process.exit(0);
}

void main();
