/**
 * The engine's validated settings. Flags win over `TETHER_*` variables, which win over the
 * config file, which wins over the defaults. Paths are absolute.
 */
export interface EngineSettings {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly masterKeyFile?: string;
  /** Secret: never logged. */
  readonly masterKey?: string;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  readonly logFormat: 'auto' | 'pretty' | 'json';
  readonly modules: readonly string[];
  readonly plugins: readonly string[];
  readonly disabledPlugins: readonly string[];
  readonly pluginActivateTimeoutMs: number;
  readonly pluginDeactivateTimeoutMs: number;
  readonly maxBodyBytes: number;
  /** Secret: never logged. */
  readonly metricsToken?: string;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges). */
  readonly trustedProxies: readonly string[];
  /** The engine's https URL as end users reach it; absent: its own listening address. */
  readonly publicUrl?: string;
  readonly joinCodeMinutes: number;
  readonly sessionGraceSeconds: number;
  readonly firstTenant: string;
  readonly firstAdminEmail: string;
  /** Origins besides the engine's own whose pages may open the gateway (`https://host[:port]`). */
  readonly gatewayOrigins: readonly string[];
  /** Seconds between gateway keepalive pings, 1 to 30. */
  readonly gatewayPingSeconds: number;
  /** Largest gateway message in bytes (ws closes bigger ones with 1009). */
  readonly gatewayMaxFrameBytes: number;
  /** How `tether start` tunes V8's garbage collector for its process (`relay` or `off`). */
  readonly heapTuning: 'relay' | 'off';
  /** Per-module settings (`mailer-smtp`, ...), only from the config file's `moduleSettings`. */
  readonly moduleSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per-plugin settings, only from the config file's `pluginSettings` object. */
  readonly pluginSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
