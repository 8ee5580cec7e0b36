import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../../engine/config/load-settings.js';
import { Engine, type EngineOptions } from '../../engine/engine.js';
import type { FirstStart } from '../../engine/kernel/first-start.js';
import { createLogger } from '../../engine/logging/create-logger.js';
import { sendRequest, type TestRequest, type TestResponse } from './https-request.js';

/** How to start an engine for a test. */
export interface TestEngineOptions {
  /** Plugin folders or packages to load besides the built-in ones. */
  readonly plugins?: readonly string[];
  /** `pluginSettings` of the config file. */
  readonly pluginSettings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `moduleSettings` of the config file (`{ 'mailer-smtp': { host, port, from } }`). */
  readonly moduleSettings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Further settings, as flags would give them (`{ databaseUrl: 'postgres://…' }`). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** `TETHER_*` variables, for settings no flag carries (secrets such as metricsToken). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where log lines go (JSON); nowhere by default. */
  readonly logTo?: NodeJS.WritableStream;
  /** Reuse this data folder (to restart on the same data); a fresh one by default. */
  readonly dataDir?: string;
  readonly configure?: EngineOptions['configure'];
}

/** A running engine on a free port of 127.0.0.1, with a client that trusts its certificate. */
export interface TestEngine {
  readonly engine: Engine;
  readonly url: string;
  readonly dataDir: string;
  /** The engine's self-signed certificate (PEM). */
  readonly cert: string;
  /** What the first start made, if this start was the first. */
  readonly firstStart?: FirstStart;
  request(pathname: string, init?: TestRequest): Promise<TestResponse>;
  /**
   * Signs in as the master administrator the first start made (one-time secret, then a new
   * password) and resolves with headers that carry the bearer token. Only after a first start.
   */
  signInFirstAdmin(newPassword?: string): Promise<Record<string, string>>;
  /** Stops the engine; removes the data folder unless it was given. */
  stop(): Promise<void>;
}

/**
 * Starts a real engine (SQLite in a temporary folder unless `settings.databaseUrl` says
 * otherwise) for a plugin's or the engine's own tests.
 */
export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'tether-test-')));
  const configFile = path.join(dataDir, 'test-config.json');
  const sections = {
    pluginSettings: options.pluginSettings ?? {},
    moduleSettings: options.moduleSettings ?? {},
  };
  await writeFile(configFile, JSON.stringify(sections));
  const settings = loadSettings({
    flags: {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      plugins: options.plugins ?? [],
      ...options.settings,
    },
    env: options.env ?? {},
    configFile,
  });
  const logger = createLogger({
    level: options.logTo ? 'debug' : 'silent',
    format: 'json',
    destination: options.logTo,
  });
  let firstStart: FirstStart | undefined;
  const engine = new Engine(settings, {
    logger,
    configure: options.configure,
    onFirstStart: (made) => (firstStart = made),
  });
  let url: string;
  try {
    ({ url } = await engine.start());
  } catch (error) {
    await engine.stop('failed to start');
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const cert = await readFile(path.join(dataDir, 'tls', 'engine-cert.pem'), 'utf8');
  return {
    engine,
    url,
    dataDir,
    cert,
    firstStart,
    request: (pathname, init) => sendRequest(url + pathname, cert, init),
    signInFirstAdmin: (newPassword) =>
      signInFirstAdmin(
        (pathname, init) => sendRequest(url + pathname, cert, init),
        firstStart,
        newPassword,
      ),
    async stop() {
      await engine.stop('test finished');
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Send = (pathname: string, init?: TestRequest) => Promise<TestResponse>;

async function signInFirstAdmin(
  send: Send,
  made: FirstStart | undefined,
  newPassword = 'a fresh and long test passphrase 42',
): Promise<Record<string, string>> {
  if (!made) throw new Error('signInFirstAdmin: this engine did not make the first tenant');
  const login = await send('/api/v1/auth/login', {
    method: 'POST',
    body: { tenant: made.tenant, email: made.email, password: made.secret },
  });
  const token = (login.json as { token?: string }).token;
  if (login.status !== 200 || !token) throw new Error(`sign-in failed: ${login.text}`);
  const headers = { authorization: `Bearer ${token}` };
  const change = await send('/api/v1/auth/password', {
    method: 'POST',
    headers,
    body: { newPassword },
  });
  if (change.status !== 200) throw new Error(`password change failed: ${change.text}`);
  return headers;
}
