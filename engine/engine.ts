import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import path from 'node:path';
import { Container } from 'inversify';
import { Bus } from './contracts/bus-contract.js';
import { Clock } from './contracts/clock-contract.js';
import type { EngineSettings } from './contracts/engine-settings.js';
import { Logger } from './contracts/logger-contract.js';
import { Storage } from './contracts/storage-contract.js';
import type { Context } from 'koa';
import type { AuditLog } from './contracts/audit-log-contract.js';
import { ProgrammerError, TetherError } from './errors.js';
import { OriginPolicy } from './gateway/origin-policy.js';
import type { SessionGateway } from './gateway/session-gateway.js';
import { ApiRegistry, type RegisteredRoute } from './http/api-registry.js';
import { clientAddress } from './identity/client-address.js';
import { IpAllowList } from './identity/ip-allow-list.js';
import { BUILT_IN_PERMISSIONS } from './identity/permission-catalogue.js';
import { startAudit, startIdentity } from './identity/start-identity.js';
import type { PermissionDeclaration } from './contracts/plugin-contract.js';
import { registerEngineRoutes } from './http/engine-routes.js';
import { createHttpApp, listenTls } from './http/https-server.js';
import { loadTlsIdentity } from './http/tls-certificate.js';
import { DisposableStore } from './kernel/disposable-store.js';
import { ensureFirstTenant, type FirstStart } from './kernel/first-start.js';
import { loadModules } from './kernel/module-loader.js';
import { SystemClock } from './kernel/system-clock.js';
import { EngineMetrics } from './metrics/engine-metrics.js';
import { discoverPlugins } from './plugin-host/plugin-catalog.js';
import { PluginHost, type PluginStatus } from './plugin-host/plugin-host.js';
import type { SessionGatewayPort } from './sessions/session-port.js';
import type { SessionSigningKey } from './sessions/session-signing-key.js';
import { startSessions, type StartedSessions } from './sessions/start-sessions.js';
import { DIST_ROOT, ENGINE_VERSION } from './version.js';
import { PluginPanels } from './web/plugin-panels.js';
import { WebFiles } from './web/web-files.js';

/** How an engine is put together besides its settings. */
export interface EngineOptions {
  readonly logger: Logger;
  /** Folder that relative plugin and module paths are resolved against. */
  readonly cwd?: string;
  /** Called once when the first start made the first tenant; the CLI prints the secret. */
  readonly onFirstStart?: (made: FirstStart) => void;
  /** Binds replacements (a test clock, say) into the root container before modules load. */
  readonly configure?: (root: Container) => void;
}

/** Where a running engine answers. */
export interface EngineAddress {
  readonly url: string;
  readonly port: number;
  readonly fingerprint: string;
}

/**
 * One engine node: the root container, the adapter modules named in the settings, the storage
 * migrated, the HTTPS API and the plugins. `start` then `stop`, once each.
 */
export class Engine {
  readonly root = new Container({ defaultScope: 'Singleton' });
  private readonly logger: Logger;
  private readonly resources: DisposableStore;
  private host: PluginHost | undefined;
  private api: ApiRegistry | undefined;
  private server: Server | undefined;
  private sessions: StartedSessions | undefined;
  private ownUrl: string | undefined;
  private gateway: SessionGateway | undefined;

  constructor(
    readonly settings: EngineSettings,
    private readonly options: EngineOptions,
  ) {
    this.logger = options.logger.child({ name: 'engine' });
    this.resources = new DisposableStore(this.logger, 'engine');
    this.root.bind(Logger).toConstantValue(options.logger);
    this.root.bind(Clock).toConstantValue(new SystemClock());
    options.configure?.(this.root);
  }

  /** Loads the modules and migrates the database: all that `tether migrate` needs. */
  async prepareStorage(): Promise<{ storage: Storage; applied: string[] }> {
    const modules = await loadModules({
      container: this.root,
      settings: this.settings,
      logger: this.options.logger,
      adaptersDir: path.join(DIST_ROOT, 'adapters'),
      cwd: this.cwd(),
    });
    for (const module of modules) this.resources.add(module);
    const storage = this.root.get<Storage>(Storage);
    const applied = await storage.migrate();
    this.logger.info({ applied, dialect: storage.dialect }, 'database migrated');
    return { storage, applied };
  }

  /** Brings the node up; resolves once it answers over HTTPS. */
  async start(): Promise<EngineAddress> {
    const { storage } = await this.prepareStorage();
    const audit = startAudit(this.root, storage, this.options.logger);
    await this.firstStart(storage, audit);

    const metrics = new EngineMetrics();
    const api = new ApiRegistry(this.settings.maxBodyBytes, clientIpOf(this.settings));
    this.api = api;
    const { metricsToken } = this.settings;
    const deps = { registry: api, storage, metrics, version: ENGINE_VERSION, metricsToken };
    for (const route of registerEngineRoutes(deps)) this.resources.add(route);
    // A plugin may declare a built-in permission (to give it a consent prompt): listed once.
    const builtIn = new Set(BUILT_IN_PERMISSIONS.map((entry) => entry.id));
    const catalogue = () => [
      ...BUILT_IN_PERMISSIONS,
      ...this.pluginPermissions()
        .filter((p) => !builtIn.has(p.id))
        .map((p) => ({ id: p.id, title: p.title, byDefault: false })),
    ];
    const identityRoutes = startIdentity(
      this.root,
      api,
      storage,
      this.options.logger,
      catalogue,
      this.settings.publicUrl,
    );
    for (const route of identityRoutes) this.resources.add(route);
    this.sessions = await startSessions(this.root, api, storage, this.options.logger, {
      joinCodeMinutes: this.settings.joinCodeMinutes,
      graceSeconds: this.settings.sessionGraceSeconds,
      publicUrl: () => this.publicUrl(),
    });
    for (const item of this.sessions.disposables) this.resources.add(item);
    await this.startPlugins(api, metrics);
    const web = this.webFiles(api);

    const tls = await loadTlsIdentity(this.tlsSource(), this.logger);
    const httpLogger = this.options.logger.child({ name: 'engine:http' });
    const app = createHttpApp(api, metrics, httpLogger, web);
    const { server, port } = await listenTls(app, tls, this.settings.host, this.settings.port);
    this.server = server;
    await this.startGateway(server, port, metrics);
    const url = `https://${hostForUrl(this.settings.host)}:${port}`;
    this.ownUrl = url;
    this.logger.info({ url, version: ENGINE_VERSION }, 'engine started');
    return { url, port, fingerprint: tls.fingerprint };
  }

  /** The sessions service as the gateway uses it; only once started. */
  sessionGatewayPort(): SessionGatewayPort {
    return this.started().gateway;
  }

  /** The engine's session signing key (loaded once at start from the key store). */
  sessionSigningKey(): SessionSigningKey {
    return this.started().signingKey;
  }

  /** What the plugin host made of each plugin. */
  plugins(): readonly PluginStatus[] {
    return this.host?.report() ?? [];
  }

  /** Every API route now registered, the engine's and the plugins'. */
  routes(): readonly RegisteredRoute[] {
    return this.api?.list() ?? [];
  }

  /** The permissions the active plugins add to the built-in ones. */
  pluginPermissions(): readonly PermissionDeclaration[] {
    return this.host?.activePermissions() ?? [];
  }

  /** Stops plugins, then the server, then the modules; each step runs even if one before fails. */
  async stop(reason = 'stopped'): Promise<void> {
    await this.host?.stop();
    await this.gateway?.stop();
    await this.closeServer();
    await this.resources.dispose();
    this.logger.info({ reason }, 'engine stopped');
  }

  /**
   * The WebSocket gateway on the server just listening; it stops before the server closes.
   * Loaded here, not at the top, so CLI commands that never serve do not load ws and the rest.
   */
  private async startGateway(server: Server, port: number, metrics: EngineMetrics) {
    if (!this.root.isBound(Bus)) {
      throw new TetherError('TETHER_E_CONFIG', 'the gateway needs a bus module (bus-memory)');
    }
    const { host, gatewayOrigins, gatewayPingSeconds, gatewayMaxFrameBytes } = this.settings;
    const { SessionGateway } = await import('./gateway/session-gateway.js');
    const gateway = new SessionGateway({
      server,
      bus: this.root.get<Bus>(Bus),
      port: () => this.sessionGatewayPort(),
      signingKey: () => this.sessionSigningKey(),
      logger: this.options.logger,
      metrics,
      origins: [...OriginPolicy.ownOrigins(host, port), ...gatewayOrigins],
      pingSeconds: gatewayPingSeconds,
      maxFrameBytes: gatewayMaxFrameBytes,
      clientIp: requestIpOf(this.settings),
    });
    gateway.start();
    this.gateway = gateway;
  }

  private async firstStart(storage: Storage, audit: AuditLog): Promise<void> {
    const made = await ensureFirstTenant(storage, this.root.get<Clock>(Clock), {
      tenant: this.settings.firstTenant,
      email: this.settings.firstAdminEmail,
    });
    if (!made) return;
    await audit.append({
      tenantId: made.tenantId,
      action: 'tenant.created',
      actor: { kind: 'system' },
      target: { kind: 'member', id: made.memberId },
      details: { by: 'first start', tenant: made.tenant, administrator: made.email },
    });
    this.logger.info({ tenant: made.tenant }, 'first start: made the first tenant');
    this.options.onFirstStart?.(made);
  }

  private async startPlugins(api: ApiRegistry, metrics: EngineMetrics): Promise<void> {
    const candidates = discoverPlugins({
      distRoot: DIST_ROOT,
      cwd: this.cwd(),
      extra: this.settings.plugins,
      withSamples: false,
    });
    this.host = new PluginHost({
      engineVersion: ENGINE_VERSION,
      logger: this.options.logger,
      sources: { root: this.root, api },
      activateTimeoutMs: this.settings.pluginActivateTimeoutMs,
      deactivateTimeoutMs: this.settings.pluginDeactivateTimeoutMs,
      disabled: this.settings.disabledPlugins,
      settingsOf: (name) => this.settings.pluginSettings[name] ?? {},
    });
    await this.host.start(candidates);
    for (const state of ['active', 'failed', 'left-out', 'disabled']) {
      const count = this.host.report().filter((status) => status.state === state).length;
      metrics.plugins.set({ state }, count);
    }
  }

  /** The browser apps and the plugins' panels, with the API route that lists the panels. */
  private webFiles(api: ApiRegistry): WebFiles {
    const panels = new PluginPanels(() => this.host?.activePanels() ?? []);
    this.resources.add(panels.register(api));
    return new WebFiles(path.join(DIST_ROOT, 'web'), (urlPath) => panels.fileOf(urlPath));
  }

  private started(): StartedSessions {
    if (!this.sessions) throw new ProgrammerError('the engine has not started its sessions');
    return this.sessions;
  }

  /** The https URL end users reach: the setting, or the engine's own address. */
  private publicUrl(): string {
    const url = this.settings.publicUrl ?? this.ownUrl ?? '';
    return url.replace(/\/+$/, '');
  }

  private tlsSource() {
    const { tlsCertFile, tlsKeyFile, dataDir, host } = this.settings;
    return { certFile: tlsCertFile, keyFile: tlsKeyFile, dataDir, host };
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), 5_000);
    await closed;
    clearTimeout(timer);
  }

  private cwd(): string {
    return this.options.cwd ?? process.cwd();
  }
}

/** The client's address: X-Forwarded-For counts only behind a configured trusted proxy. */
function clientIpOf(settings: EngineSettings): (ctx: Context) => string {
  const proxies = IpAllowList.parse(settings.trustedProxies, 'trustedProxies');
  return (ctx) =>
    clientAddress(
      ctx.req.socket.remoteAddress ?? '',
      ctx.get('x-forwarded-for') || undefined,
      proxies,
    );
}

/** The same rule for a WebSocket upgrade request. */
function requestIpOf(settings: EngineSettings): (request: IncomingMessage) => string {
  const proxies = IpAllowList.parse(settings.trustedProxies, 'trustedProxies');
  return (request) => {
    const forwarded = request.headers['x-forwarded-for'];
    return clientAddress(
      request.socket.remoteAddress ?? '',
      (Array.isArray(forwarded) ? forwarded.join(',') : forwarded) || undefined,
      proxies,
    );
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
