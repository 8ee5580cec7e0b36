import { z } from 'zod';

/** How one setting is described, parsed and defaulted. Flags and variables derive from the key. */
export interface SettingSpec {
  readonly describe: string;
  /** Parses a value from a flag or variable (a string) or from the config file (JSON). */
  readonly schema: z.ZodType;
  readonly default?: unknown;
  /** Settings that may come only from a variable or the file, never a flag (secrets). */
  readonly noFlag?: boolean;
}

const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value),
    z
      .number({ error: `expected an integer from ${min} to ${max}` })
      .int({ error: `expected an integer from ${min} to ${max}` })
      .min(min, { error: `expected an integer from ${min} to ${max}` })
      .max(max, { error: `expected an integer from ${min} to ${max}` }),
  );

const list = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : value,
  z.array(z.string().min(1), { error: 'expected a comma-separated list of names' }),
);

const text = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });

const databaseUrl = text.refine((value) => /^(sqlite|postgres|postgresql|mssql):/.test(value), {
  error: 'expected a sqlite:, postgres:// or mssql:// URL',
});

const origins = list.refine((values) => values.every(isOrigin), {
  error: 'expected a comma-separated list of origins such as https://console.example.com',
});

/** A whole web origin; plain http only for a page on this machine (a developer's). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
    return scheme && url.origin === value.toLowerCase();
  } catch {
    return false;
  }
}

const email = text.regex(/^[^\s@]+@[^\s@]+$/, { error: 'expected an e-mail address' });

/** Every setting of the engine, in the order `--help` and the README list them. */
export const SETTING_SPECS = {
  host: { describe: 'Address the HTTPS server listens on', schema: text, default: '127.0.0.1' },
  port: {
    describe: 'Port of the HTTPS server (0: any free port)',
    schema: integer(0, 65535),
    default: 8443,
  },
  dataDir: {
    describe: 'Folder for the SQLite file, keys and certificate',
    schema: text,
    default: './data',
  },
  databaseUrl: {
    describe: 'postgres:// or mssql:// URL; the default is an SQLite file in the data folder',
    schema: databaseUrl,
  },
  tlsCertFile: { describe: 'PEM certificate; a self-signed one is made when unset', schema: text },
  tlsKeyFile: { describe: 'PEM private key of the certificate', schema: text },
  masterKeyFile: {
    describe: 'File holding the base64 master key; the default is master.key in the data folder',
    schema: text,
  },
  masterKey: {
    describe: 'The base64 master key itself (32 bytes); overrides masterKeyFile',
    schema: text.refine((value) => Buffer.from(value, 'base64').length === 32, {
      error: 'expected 32 bytes in base64',
    }),
    noFlag: true,
  },
  logLevel: {
    describe: 'Lowest level logged',
    schema: z.enum(['error', 'warn', 'info', 'debug'], {
      error: 'expected one of error, warn, info, debug',
    }),
    default: 'info',
  },
  logFormat: {
    describe: 'pretty for a terminal, json for collectors, auto picks by terminal',
    schema: z.enum(['auto', 'pretty', 'json'], { error: 'expected one of auto, pretty, json' }),
    default: 'auto',
  },
  modules: {
    describe: 'Adapter modules to load: names under adapters/, folder paths or packages',
    schema: list,
    default: ['storage-sequelize', 'bus-memory', 'key-store-file'],
  },
  plugins: {
    describe: 'Plugins to load besides the built-in ones: folder paths or package names',
    schema: list,
    default: [],
  },
  disabledPlugins: { describe: 'Names of plugins not to load', schema: list, default: [] },
  pluginActivateTimeoutMs: {
    describe: 'Time a plugin may take to activate',
    schema: integer(1, 600_000),
    default: 10_000,
  },
  pluginDeactivateTimeoutMs: {
    describe: 'Time a plugin may take to stop',
    schema: integer(1, 600_000),
    default: 5_000,
  },
  maxBodyBytes: {
    describe: 'Largest request body accepted',
    schema: integer(1024, 64 * 1024 * 1024),
    default: 1024 * 1024,
  },
  metricsToken: {
    describe: 'Bearer token that unlocks GET /metrics (at least 24 characters)',
    schema: text.min(24, { error: 'must be at least 24 characters' }),
    noFlag: true,
  },
  trustedProxies: {
    describe: 'Proxies whose X-Forwarded-For is believed: addresses or CIDR ranges',
    schema: list,
    default: [],
  },
  publicUrl: {
    describe: "The engine's https URL as end users reach it; the default is its own address",
    schema: text.regex(/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
      error: 'expected an https:// URL without query or fragment',
    }),
  },
  joinCodeMinutes: {
    describe: 'Minutes a session join code stays usable',
    schema: integer(1, 1440),
    default: 20,
  },
  sessionGraceSeconds: {
    describe: 'Seconds an end user may be gone before the session closes',
    schema: integer(10, 86_400),
    default: 120,
  },
  firstTenant: {
    describe: 'Name of the tenant made on first start',
    schema: text,
    default: 'Default',
  },
  firstAdminEmail: {
    describe: 'E-mail of the master administrator made on first start',
    schema: email,
    default: 'admin@localhost',
  },
  gatewayOrigins: {
    describe: "Web origins besides the engine's own whose pages may open the session gateway",
    schema: origins,
    default: [],
  },
  gatewayPingSeconds: {
    describe: 'Seconds between keepalive pings on gateway connections (at most 30)',
    schema: integer(1, 30),
    default: 25,
  },
  gatewayMaxFrameBytes: {
    describe: 'Largest gateway message; a bigger one closes the connection with 1009',
    schema: integer(1024, 64 * 1024 * 1024),
    default: 1024 * 1024 + 256,
  },
  heapTuning: {
    describe:
      'How `tether start` tunes V8: relay (rare full collections, heap kept when idle) or off',
    schema: z.enum(['relay', 'off'], { error: 'expected relay or off' }),
    default: 'relay',
  },
} as const satisfies Record<string, SettingSpec>;

/** The name of one setting. */
export type SettingName = keyof typeof SETTING_SPECS;

/** `dataDir` → `TETHER_DATA_DIR`. */
export function envName(setting: string): string {
  return 'TETHER_' + setting.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** `dataDir` → `data-dir`. */
export function flagName(setting: string): string {
  return setting.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
