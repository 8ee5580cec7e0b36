import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClientOptions } from 'ws';
import { MemoryBus } from '../../../adapters/bus-memory/memory-bus.js';
import { FileKeyStore } from '../../../adapters/key-store-file/file-key-store.js';
import type { Logger } from '../../../engine/contracts/logger-contract.js';
import { SessionGateway, type GatewayOptions } from '../../../engine/gateway/session-gateway.js';
import { createHttpApp, listenTls } from '../../../engine/http/https-server.js';
import { ApiRegistry } from '../../../engine/http/api-registry.js';
import { loadTlsIdentity } from '../../../engine/http/tls-certificate.js';
import { createLogger } from '../../../engine/logging/create-logger.js';
import { EngineMetrics } from '../../../engine/metrics/engine-metrics.js';
import { SessionSigningKey } from '../../../engine/sessions/session-signing-key.js';
import { toBase64 } from '../../../sdk/crypto/bytes.js';
import { GatewayClient } from './gateway-client.js';
import { MemorySessionPort } from './memory-session-port.js';

/** One gateway node: its own TLS server and metrics, sharing the harness's bus and port. */
export interface GatewayNode {
  readonly url: string;
  readonly origin: string;
  readonly gateway: SessionGateway;
  readonly server: Server;
  readonly metrics: EngineMetrics;
}

/** Gateway nodes on 127.0.0.1 sharing one bus (as a cluster shares Redis) and one port. */
export interface GatewayHarness {
  readonly bus: MemoryBus;
  readonly port: MemorySessionPort;
  readonly signingKey: SessionSigningKey;
  readonly nodes: readonly GatewayNode[];
  /** The nodes' self-signed certificate (PEM), for clients to trust. */
  readonly cert: string;
  /** Opens a client to node `node` (0 by default), trusting the test certificate. */
  connect(options?: ClientOptions & { node?: number; path?: string }): Promise<GatewayClient>;
  stop(): Promise<void>;
}

/** What a test may change about the gateways. */
export type HarnessOptions = Partial<
  Pick<GatewayOptions, 'origins' | 'pingSeconds' | 'maxFrameBytes' | 'authTimeoutMs' | 'recheckMs'>
> & { readonly nodes?: number; readonly logger?: Logger };

/** Starts `nodes` gateways (1 by default) on real TLS servers with self-signed certificates. */
export async function startGatewayHarness(options: HarnessOptions = {}): Promise<GatewayHarness> {
  const folder = await mkdtemp(path.join(tmpdir(), 'tether-gateway-'));
  const logger = options.logger ?? createLogger({ level: 'silent', format: 'json' });
  const bus = new MemoryBus(logger);
  const port = new MemorySessionPort(bus);
  const keys = await FileKeyStore.open(path.join(folder, 'keys'), randomBytes(32));
  const signingKey = await SessionSigningKey.load(keys);
  const tls = await loadTlsIdentity({ dataDir: folder, host: '127.0.0.1' }, logger);
  const clients: GatewayClient[] = [];

  const nodes: GatewayNode[] = [];
  for (let i = 0; i < (options.nodes ?? 1); i++) {
    nodes.push(await startNode({ options, logger, bus, port, signingKey, tls }));
  }
  return {
    bus,
    port,
    signingKey,
    nodes,
    cert: tls.cert,
    async connect(connectOptions = {}) {
      const { node = 0, path: pathname = '/gateway', ...rest } = connectOptions;
      const url = nodes[node]!.url.replace('https:', 'wss:') + pathname;
      const client = await GatewayClient.open(url, { ca: tls.cert, ...rest });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      for (const node of nodes) {
        await node.gateway.stop();
        await new Promise<void>((resolve) => node.server.close(() => resolve()));
        node.server.closeAllConnections();
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function startNode(parts: {
  options: HarnessOptions;
  logger: Logger;
  bus: MemoryBus;
  port: MemorySessionPort;
  signingKey: SessionSigningKey;
  tls: Awaited<ReturnType<typeof loadTlsIdentity>>;
}): Promise<GatewayNode> {
  const { options, logger, bus, port, signingKey, tls } = parts;
  const metrics = new EngineMetrics();
  const app = createHttpApp(new ApiRegistry(1024 * 1024, () => '127.0.0.1'), metrics, logger);
  const listening = await listenTls(app, tls, '127.0.0.1', 0);
  const origin = `https://127.0.0.1:${listening.port}`;
  const gateway = new SessionGateway({
    server: listening.server,
    bus,
    port: () => port,
    signingKey: () => signingKey,
    logger,
    metrics,
    origins: options.origins ?? [origin],
    pingSeconds: options.pingSeconds ?? 25,
    maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024 + 256,
    clientIp: (request) => request.socket.remoteAddress ?? '',
    authTimeoutMs: options.authTimeoutMs,
    recheckMs: options.recheckMs,
    peerWaitMs: 30,
  });
  gateway.start();
  return { url: origin, origin, gateway, server: listening.server, metrics };
}

/** A fresh X25519-sized public key in base64 (the gateway only checks its form). */
export function newBoxKey(): string {
  return toBase64(randomBytes(32));
}

/** An `auth` message for an end user. */
export function endUserAuth(sessionId: string, participantId: string, secret: string) {
  return {
    t: 'auth',
    v: 1,
    sessionId,
    boxKey: newBoxKey(),
    credentials: { kind: 'end-user', participantId, secret },
  };
}

/** An `auth` message for a technician. */
export function technicianAuth(sessionId: string, token: string, boxKey = newBoxKey()) {
  return { t: 'auth', v: 1, sessionId, boxKey, credentials: { kind: 'technician', token } };
}

/** A client's envelope `0x01 ‖ len ‖ to ‖ frame`. */
export function envelope(to: string, frame: Uint8Array): Buffer {
  const id = Buffer.from(to, 'latin1');
  return Buffer.concat([Buffer.from([1, id.length]), id, frame]);
}
