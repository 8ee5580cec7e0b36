import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RELAY_START_FLAGS } from '../../engine/cli/heap-tuning.js';
import { CLI } from '../support/fixture-paths.js';
import { cleanEnv } from '../support/cli-process.js';
import { spawnBenchChild, type BenchChild } from './bench-processes.js';

/** What the first start of the engine printed for its first administrator. */
export interface FirstAdmin {
  readonly tenant: string;
  readonly email: string;
  readonly secret: string;
}

/** An engine started by `tether start` as a process of its own. */
export interface EngineProcess {
  readonly process: BenchChild;
  readonly url: string;
  /** The engine's self-signed certificate (PEM), the only CA the bench trusts. */
  readonly cert: string;
  readonly firstAdmin: FirstAdmin;
  /** The inspector's WebSocket URL (`--inspect=127.0.0.1:0`), to collect garbage and read heap. */
  readonly inspectorUrl: string | undefined;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const GRACE_SECONDS = 3_600;
const dataDirs = new Set<string>();
const engines = new Set<BenchChild>();
/** pino's level number of `warn`. */
const WARN = 40;

/** The warnings and errors every engine started so far logged (the last 64 KiB of each). */
export function engineProblems(): string[] {
  const lines: string[] = [];
  for (const engine of engines) {
    for (const line of engine.stderr().split('\n')) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level >= WARN) lines.push(line);
    }
  }
  return lines;
}

/** Removes the data folder of every engine not stopped in order (for Ctrl-C and errors). */
export function removeEngineDataDirs(): void {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/**
 * Starts `node --no-memory-reducer dist/engine/cli/tether-cli.js start` (node's flags as
 * `npm start` gives them) on 127.0.0.1, a free port and a fresh data folder, with JSON logs;
 * waits for "engine started". With `inspect`, the inspector listens on a loopback port so
 * memory can be read after garbage collection; it costs the relay about a fifth of its
 * throughput, so timed runs use an engine without it.
 */
export async function startEngineProcess(inspect: boolean): Promise<EngineProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tether-bench-engine-'));
  dataDirs.add(dataDir);
  const env = cleanEnv({
    NODE_OPTIONS: inspect ? '--inspect=127.0.0.1:0' : '',
    TETHER_LOG_FORMAT: 'json',
    TETHER_LOG_LEVEL: 'info',
    // Making and joining a thousand sessions can take minutes on a busy machine: with the
    // default grace the sweeper would close the first ones (their end user joined, and then
    // "was gone" for two minutes) before their end user's turn to connect came.
    TETHER_SESSION_GRACE_SECONDS: String(GRACE_SECONDS),
  });
  const args = ['start', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir];
  const engine = spawnBenchChild('engine', CLI, args, env, {
    jsonStdout: false,
    nodeArgs: RELAY_START_FLAGS,
  });
  engines.add(engine);
  const stdout = collectStdout(engine);
  try {
    const url = await waitForStart(engine);
    const cert = await readFile(path.join(dataDir, 'tls', 'engine-cert.pem'), 'utf8');
    return {
      process: engine,
      url,
      cert,
      firstAdmin: parseFirstStart(stdout()),
      inspectorUrl: inspect ? inspectorUrlOf(engine.stderr()) : undefined,
      stop: async () => {
        await engine.stop(10_000);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await engine.stop(1_000);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function collectStdout(engine: BenchChild): () => string {
  // The CLI prints plain lines, not JSON: read them here rather than through nextMessage.
  let text = '';
  engine.child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

async function waitForStart(engine: BenchChild): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const started = engine
      .stderr()
      .split('\n')
      .find((line) => line.includes('"msg":"engine started"'));
    if (started) return (JSON.parse(started) as { url: string }).url;
    if (engine.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the engine did not start:\n${engine.stderr().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads the tenant, e-mail and one-time secret out of the first start's printout. */
export function parseFirstStart(stdout: string): FirstAdmin {
  const tenant = /made the tenant "([^"]+)"/.exec(stdout)?.[1];
  const email = /e-mail:\s+(\S+)/.exec(stdout)?.[1];
  const secret = /one-time sign-in secret:\s+(\S+)/.exec(stdout)?.[1];
  if (!tenant || !email || !secret) {
    throw new Error('the engine did not print its first start (was the data folder fresh?)');
  }
  return { tenant, email, secret };
}

function inspectorUrlOf(stderr: string): string {
  const url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stderr)?.[1];
  if (!url) throw new Error('the engine did not open its inspector');
  return url;
}
