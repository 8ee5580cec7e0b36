import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bus } from '../contracts/bus-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import { ProgrammerError } from '../errors.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { SessionSigningKey } from '../sessions/session-signing-key.js';
import type { SessionGatewayPort } from '../sessions/session-port.js';
import { GatewayConnection } from './gateway-connection.js';
import type { GatewayContext } from './gateway-context.js';
import { AUTH_TIMEOUT_MS, CLOSE } from './gateway-protocol.js';
import { OriginPolicy } from './origin-policy.js';
import { QueueWatchers } from './queue-watchers.js';
import { requireBufferutil } from './require-bufferutil.js';
import { SessionRooms } from './session-rooms.js';

/** The path the gateway answers on; any other upgrade gets 404. */
export const GATEWAY_PATH = '/gateway';

/** How a gateway is put together. */
export interface GatewayOptions {
  /** The engine's TLS server; the gateway handles its `upgrade` events. */
  readonly server: Server;
  readonly bus: Bus;
  /** The sessions service's side of the gateway (asked on each use). */
  readonly port: () => SessionGatewayPort;
  /** The key that signs participant certificates (asked on each use). */
  readonly signingKey: () => SessionSigningKey;
  /** The root logger; the gateway logs as `engine:gateway`. */
  readonly logger: Logger;
  readonly metrics: EngineMetrics;
  /** Origins whose pages may connect: the engine's own and `gatewayOrigins`. */
  readonly origins: readonly string[];
  /** Seconds between keepalive pings (`gatewayPingSeconds`; tests may give a fraction). */
  readonly pingSeconds: number;
  /** Largest message (`gatewayMaxFrameBytes`); ws closes bigger ones with 1009. */
  readonly maxFrameBytes: number;
  /** The client's address, as the API would see it (trusted proxies considered). */
  readonly clientIp: (request: IncomingMessage) => string;
  /** Time the first message may take; the protocol's 10 s unless a test says otherwise. */
  readonly authTimeoutMs?: number;
  /** Time a joining connection waits for peers to answer before `ready`; 50 ms by default. */
  readonly peerWaitMs?: number;
  /**
   * How often a technician's or queue watcher's sign-in is checked again (at the next keepalive
   * answer after this long): five minutes unless a test says otherwise.
   */
  readonly recheckMs?: number;
}

const STOP_WAIT_MS = 3_000;
const RECHECK_MS = 5 * 60 * 1000;
/**
 * Keepalive pings go out in this many slices of the interval (one every 50 ms at 25 s), never
 * many in one tick: 2,000 connections get 4 pings a tick, not 100 every 1.25 s.
 */
const PING_SLICES = 500;
const MIN_PING_TICK_MS = 10;
/** The golden ratio's fraction: consecutive connections land in slices far apart. */
const SLICE_STEP = (Math.sqrt(5) - 1) / 2;

/**
 * The WebSocket endpoint `/gateway` (docs/protocol.md, "Gateway connection"): checks the
 * origin, authenticates each connection in-band through the sessions service, relays frames
 * it cannot read between participants, and keeps connections alive. Everything between
 * connections goes over the bus, so participants of one session may sit on different nodes.
 */
export class SessionGateway {
  private readonly logger: Logger;
  private readonly wss: WebSocketServer;
  /** Every open connection, with its ping slice. */
  private readonly connections = new Map<GatewayConnection, number>();
  /** The connections by ping slice; each slice is pinged once per interval, at its own time. */
  private slices: Set<GatewayConnection>[] = [];
  /** Connections accepted so far: where the next one is pinged follows from it. */
  private accepted = 0;
  private pingedSlice = 0;
  private readonly rooms: SessionRooms;
  private readonly watchers: QueueWatchers;
  private readonly originPolicy: OriginPolicy;
  private readonly context: GatewayContext;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(request, socket, head);
  private pinger: NodeJS.Timeout | undefined;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly options: GatewayOptions) {
    this.logger = options.logger.child({ name: 'engine:gateway' });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.rooms = new SessionRooms(options.bus, this.logger);
    this.watchers = new QueueWatchers(options.bus, this.logger);
    this.originPolicy = new OriginPolicy(options.origins);
    this.context = {
      port: options.port,
      signingKey: options.signingKey,
      rooms: this.rooms,
      watchers: this.watchers,
      logger: this.logger,
      metrics: options.metrics,
      authTimeoutMs: options.authTimeoutMs ?? AUTH_TIMEOUT_MS,
      peerWaitMs: options.peerWaitMs ?? 50,
      recheckMs: options.recheckMs ?? RECHECK_MS,
      finished: (connection) => this.forget(connection),
    };
  }

  /** Open connections, of every kind. */
  get size(): number {
    return this.connections.size;
  }

  /** Starts answering upgrades; fails with TETHER_E_CONFIG when bufferutil is missing. */
  start(): void {
    if (this.state !== 'new') throw new ProgrammerError('a gateway starts once');
    const bufferutil = requireBufferutil();
    this.options.server.on('upgrade', this.onUpgrade);
    const every = Math.max(1, Math.round(this.options.pingSeconds * 1000));
    const count = Math.max(1, Math.min(PING_SLICES, Math.floor(every / MIN_PING_TICK_MS)));
    this.slices = Array.from({ length: count }, () => new Set<GatewayConnection>());
    this.pinger = setInterval(() => this.ping(), every / count);
    this.state = 'running';
    this.logger.info(
      { path: GATEWAY_PATH, masking: 'bufferutil', bufferutil, pingMs: every },
      'gateway started',
    );
  }

  /** Closes every connection with 1001 (waiting a bounded time), then drops subscriptions. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    clearInterval(this.pinger);
    this.options.server.off('upgrade', this.onUpgrade);
    const open = [...this.connections.keys()];
    const closed = open.map((connection) => connection.whenClosed());
    for (const connection of open) connection.close(CLOSE.goingAway, 'going-away');
    const waited = await Promise.race([
      Promise.all(closed).then(() => true),
      delay(STOP_WAIT_MS, false),
    ]);
    if (!waited) for (const connection of open) connection.terminate();
    await this.rooms.dispose();
    await this.watchers.dispose();
    this.wss.close();
    this.logger.info({ closed: open.length }, 'gateway stopped');
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const pathname = (request.url ?? '').split('?', 1)[0];
    if (pathname !== GATEWAY_PATH) return refuse(socket, 404, 'Not Found');
    if (!this.originPolicy.allows(request.headers.origin)) {
      this.logger.info({ code: 403 }, 'refused a gateway upgrade from a foreign origin');
      return refuse(socket, 403, 'Forbidden');
    }
    if (this.state !== 'running') return refuse(socket, 503, 'Service Unavailable');
    const clientIp = this.options.clientIp(request);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, clientIp));
  }

  private accept(ws: WebSocket, clientIp: string): void {
    if (this.state !== 'running') return ws.close(CLOSE.goingAway, 'going-away');
    const connection = new GatewayConnection(ws, clientIp, this.context);
    // However many connections there are, they spread evenly over the interval.
    const slice = Math.floor(((this.accepted++ * SLICE_STEP) % 1) * this.slices.length);
    this.connections.set(connection, slice);
    this.slices[slice]!.add(connection);
  }

  private forget(connection: GatewayConnection): void {
    const slice = this.connections.get(connection);
    this.connections.delete(connection);
    if (slice !== undefined) this.slices[slice]!.delete(connection);
  }

  /**
   * Pings one slice of the connections. Pinging thousands at once would write thousands of TLS
   * records in one tick, and their pongs (with a sign-in check now and then) would come back
   * together: a stall that every relayed frame behind it waits out.
   */
  private ping(): void {
    const slice = this.slices[this.pingedSlice]!;
    this.pingedSlice = (this.pingedSlice + 1) % this.slices.length;
    for (const connection of slice) connection.keepalive();
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
