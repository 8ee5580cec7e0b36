import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The engine's Prometheus metrics, on a registry of its own (never prom-client's global one, so
 * two engines in one process, as in tests, do not clash).
 */
export class EngineMetrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'tether_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  private readonly durations = new Histogram({
    name: 'tether_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  /** Plugins by state (`active`, `failed`, `left-out`); the plugin host sets it. */
  readonly plugins = new Gauge({
    name: 'tether_plugins',
    help: 'Plugins by state',
    labelNames: ['state'],
    registers: [this.registry],
  });

  /** Open gateway connections by kind (`pending` until admitted, then the role or `watcher`). */
  readonly gatewayConnections = new Gauge({
    name: 'tether_gateway_connections',
    help: 'Open gateway connections by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  /** Bytes counted by {@link countRelayedBytes} since the counter below was last read. */
  private relayedBytes = 0;

  /** Bytes of frames the gateway relayed (what the senders sent, envelopes excluded). */
  readonly gatewayRelayedBytes = new Counter({
    name: 'tether_gateway_relayed_bytes_total',
    help: 'Bytes of frames relayed by the gateway',
    registers: [this.registry],
    collect: () => this.collectRelayedBytes(),
  });

  /** Gateway connections closed, by close code. */
  readonly gatewayCloses = new Counter({
    name: 'tether_gateway_closes_total',
    help: 'Gateway connections closed, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  /** Frames dropped because their recipient had too much unsent already (it reads too slowly). */
  readonly gatewayDroppedFrames = new Counter({
    name: 'tether_gateway_dropped_frames_total',
    help: 'Frames the gateway dropped for a recipient that reads too slowly',
    registers: [this.registry],
  });

  /** Times the gateway stopped reading a sender until a slower recipient caught up. */
  readonly gatewaySenderHolds = new Counter({
    name: 'tether_gateway_sender_holds_total',
    help: 'Times the gateway stopped reading a sender until its slower recipient caught up',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tether_' });
  }

  /**
   * Adds to `gatewayRelayedBytes`, which takes the sum when it is read. Called for every frame
   * relayed: the counter's own `inc` makes a labels object and validates it each time.
   */
  countRelayedBytes(bytes: number): void {
    this.relayedBytes += bytes;
  }

  private collectRelayedBytes(): void {
    if (this.relayedBytes === 0) return;
    this.gatewayRelayedBytes.inc(this.relayedBytes);
    this.relayedBytes = 0;
  }

  /** Counts and times each request, labelled by the route pattern, never the raw path. */
  middleware(): Middleware {
    return async (ctx, next) => {
      const stop = this.durations.startTimer();
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
        stop({ method: ctx.method, route: String(route) });
        this.requests.inc({ method: ctx.method, route: String(route), status: ctx.status });
      }
    };
  }

  /** The text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
