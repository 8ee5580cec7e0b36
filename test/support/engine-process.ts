import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  sendRequest,
  type TestRequest,
  type TestResponse,
} from '../../sdk/testing/https-request.js';
import { startCli, type RunningCli } from './cli-process.js';

/** `tether start` as its own process, on a fixed port so it can be killed and started again. */
export interface EngineProcess {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The engine's self-signed certificate (PEM), for clients to trust. */
  readonly ca: string;
  readonly caFile: string;
  /** The first start's administrator and one-time secret, from its standard output. */
  readonly firstAdmin: { readonly tenant: string; readonly email: string; readonly secret: string };
  running(): RunningCli;
  request(pathname: string, init?: TestRequest): Promise<TestResponse>;
  /** SIGKILL: no goodbye of any kind, as in a crash. */
  kill(): Promise<void>;
  /** Starts the engine again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM) and removes the data. */
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1 (the engine binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh engine process on SQLite in a temporary folder. */
export async function startEngineProcess(env: Record<string, string> = {}): Promise<EngineProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tether-process-'));
  const port = await freePort();
  const args = ['--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir];
  const start = () => startCli(args, { env: { TETHER_LOG_LEVEL: 'info', ...env } });
  let cli = await start();
  const firstAdmin = firstAdminOf(cli.output().stdout);
  const caFile = path.join(dataDir, 'tls', 'engine-cert.pem');
  const ca = await readFile(caFile, 'utf8');
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    port,
    dataDir,
    ca,
    caFile,
    firstAdmin,
    running: () => cli,
    request: (pathname, init) => sendRequest(url + pathname, ca, init),
    async kill() {
      cli.child.kill('SIGKILL');
      await cli.exited();
    },
    async restart() {
      cli = await start();
    },
    async stop() {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGTERM');
        await cli.exited(15_000);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function firstAdminOf(stdout: string): EngineProcess['firstAdmin'] {
  const tenant = /made the tenant "([^"]+)"/.exec(stdout)?.[1];
  const email = /e-mail:\s+(\S+)/.exec(stdout)?.[1];
  const secret = /one-time sign-in secret:\s+(\S+)/.exec(stdout)?.[1];
  if (!tenant || !email || !secret) throw new Error(`no first start in:\n${stdout}`);
  return { tenant, email, secret };
}
