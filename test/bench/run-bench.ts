import { randomUUID } from 'node:crypto';
import { plainWsSender, rawTcpSender } from './baseline-pairs.js';
import { requireBufferutil } from './bench-checks.js';
import { parseBenchOptions, type BenchOptions } from './bench-options.js';
import { benchScript, killAllChildren, spawnBenchChild } from './bench-processes.js';
import { formatReport, type BenchResults } from './bench-report.js';
import { EngineApi } from './engine-api.js';
import {
  endUserSeat,
  engineMissing,
  engineThroughputSession,
  makeJoinedSessions,
  measureEngineMemory,
  technicianSeat,
} from './engine-bench.js';
import { removeEngineDataDirs, startEngineProcess, type EngineProcess } from './engine-process.js';
import { measureRoundTrip, type RoundTripRun } from './round-trip.js';
import { plainRelayKiBPerConnection } from './relay-memory.js';
import type { RoundTripJob } from './round-trip-job.js';
import type { ThroughputJob, ThroughputTarget } from './throughput-job.js';
import { measureThroughput, type FrameSender, type ThroughputResult } from './throughput-run.js';
import { benchRemoteControl } from './remote-control-bench.js';
import { formatRemoteControlReport } from './remote-control-report.js';

/**
 * `npm run bench`: starts a raw TCP relay, a plain WebSocket relay and the engine as processes
 * of their own, measures throughput, round trips at many sessions and engine memory per idle
 * end user, and prints the ratios against the baselines of the same run. See README.md here.
 */
const FRAME_BYTES = 64 * 1024;
const START_TIMEOUT_MS = 15_000;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function startRelays() {
  const tcp = spawnBenchChild('raw TCP relay', benchScript('raw-tcp-relay'));
  const ws = spawnBenchChild('plain ws relay', benchScript('plain-ws-relay'));
  const clear = spawnBenchChild('ws relay without TLS', benchScript('plain-ws-relay'), [
    '--no-tls',
  ]);
  const { port: tcpPort } = await tcp.nextMessage<{ port: number }>(START_TIMEOUT_MS);
  const wsInfo = await ws.nextMessage<{ port: number; cert: string }>(START_TIMEOUT_MS);
  const clearInfo = await clear.nextMessage<{ port: number }>(START_TIMEOUT_MS);
  return {
    wsPid: ws.child.pid as number,
    tcpPort,
    wsUrl: `wss://127.0.0.1:${wsInfo.port}`,
    wsCert: wsInfo.cert,
    clearUrl: `ws://127.0.0.1:${clearInfo.port}`,
  };
}

type Relays = Awaited<ReturnType<typeof startRelays>>;
type RunningEngine = { process: EngineProcess; api: EngineApi };
function oneRun(target: ThroughputTarget, openSender: () => Promise<FrameSender>, o: BenchOptions) {
  const totalBytes = o.mib * 1024 * 1024;
  const job: ThroughputJob = { ...target, totalBytes, connectTimeoutMs: 15_000 };
  return measureThroughput(job, openSender, FRAME_BYTES, o.throughputLimitSeconds * 1000);
}

function tcpRun(relays: Relays, options: BenchOptions) {
  const pairId = randomUUID();
  const target = { kind: 'tcp' as const, port: relays.tcpPort, pairId };
  return oneRun(target, () => rawTcpSender(relays.tcpPort, pairId), options);
}

function plainRun(base: string, ca: string, options: BenchOptions) {
  const url = `${base}/pair/${randomUUID()}`;
  const target = { kind: 'plain' as const, url, ca };
  return oneRun(target, () => plainWsSender(url, ca), options);
}

async function engineRun(engine: RunningEngine, options: BenchOptions) {
  const { seat, openSender } = await engineThroughputSession(engine.process, engine.api);
  return oneRun({ kind: 'engine', seat, ca: engine.process.cert }, openSender, options);
}

async function throughputRounds(
  relays: Relays,
  engine: RunningEngine | undefined,
  options: BenchOptions,
) {
  const tcp: ThroughputResult[] = [];
  const plainWs: ThroughputResult[] = [];
  const clearWs: ThroughputResult[] = [];
  const encrypted: ThroughputResult[] = [];
  // Interleaved, so that a slow moment of the machine does not fall on one relay only.
  for (let round = 1; round <= options.rounds; round++) {
    log(`throughput round ${round} of ${options.rounds}`);
    tcp.push(await tcpRun(relays, options));
    plainWs.push(await plainRun(relays.wsUrl, relays.wsCert, options));
    clearWs.push(await plainRun(relays.clearUrl, '', options));
    if (engine) encrypted.push(await engineRun(engine, options));
  }
  return { tcp, plainWs, clearWs, engine: engine ? encrypted : undefined };
}

function jobBase(options: BenchOptions, ca: string) {
  return {
    ca,
    intervalMs: options.intervalMs,
    durationMs: options.seconds * 1000,
    payloadBytes: options.payloadBytes,
    connectTimeoutMs: 30_000,
  };
}

function connectBudgetMs(options: BenchOptions): number {
  return 60_000 + options.sessions * 60;
}

function plainRoundTrip(wsUrl: string, ca: string, options: BenchOptions): Promise<RoundTripRun> {
  log(`round trip through the plain relay, ${options.sessions} sessions`);
  const urls = Array.from({ length: options.sessions }, (_, i) => `${wsUrl}/rt/${i}`);
  const base = { ...jobBase(options, ca), kind: 'plain' as const, urls };
  const echo: RoundTripJob = { ...base, role: 'echo' };
  return measureRoundTrip(echo, { ...base, role: 'sender' }, connectBudgetMs(options));
}

async function engineRoundTrip(engine: EngineProcess, api: EngineApi, options: BenchOptions) {
  log(`round trip through the engine: making ${options.sessions} sessions`);
  const pairs = await makeJoinedSessions(api, options.sessions);
  const base = { ...jobBase(options, engine.cert), kind: 'engine' as const };
  const echo: RoundTripJob = { ...base, role: 'echo', seats: pairs.map(endUserSeat) };
  const senderSeats = pairs.map((pair) => technicianSeat(engine, api, pair));
  const sender: RoundTripJob = { ...base, role: 'sender', seats: senderSeats };
  log('round trip through the engine: measuring');
  return measureRoundTrip(echo, sender, connectBudgetMs(options));
}

async function startEngine(options: BenchOptions, inspect: boolean) {
  if (options.skipEngine) return { skipped: '--skip-engine was given' };
  log(inspect ? 'starting an engine with the inspector, for memory' : 'starting the engine');
  const process = await startEngineProcess(inspect);
  const api = new EngineApi(process.url, process.cert);
  await api.signInFirstAdmin(process.firstAdmin);
  const missing = await engineMissing(process, api);
  if (missing) {
    log(`${missing}: the engine part is skipped, the baselines still run`);
    api.close();
    await process.stop();
    return { skipped: missing };
  }
  return { engine: { process, api } };
}

/** Memory per idle end user, in an engine of its own that has the inspector. */
async function engineMemory(options: BenchOptions) {
  const { engine } = await startEngine(options, true);
  if (!engine) return undefined;
  try {
    log(`memory: ${options.sessions} idle waiting end users`);
    return await measureEngineMemory(engine.process, engine.api, options.sessions);
  } finally {
    engine.api.close();
    await engine.process.stop();
  }
}

async function remoteControl(options: BenchOptions): Promise<void> {
  if (options.skipRemoteControl) return;
  const { rcSeconds: seconds, rcFps: fps, rcQuality: quality } = options;
  const results = await benchRemoteControl({ seconds, fps, quality });
  process.stdout.write(formatRemoteControlReport(results));
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.onlyRemoteControl) return remoteControl(options);
  requireBufferutil();
  const relays = await startRelays();
  const memory = await engineMemory(options);
  const plainRelayKiB = memory
    ? await plainRelayKiBPerConnection(relays.wsUrl, relays.wsCert, relays.wsPid, options.sessions)
    : undefined;
  const { engine, skipped } = await startEngine(options, false);
  try {
    const rates = await throughputRounds(relays, engine, options);
    const plainRt = await plainRoundTrip(relays.wsUrl, relays.wsCert, options);
    const engineRt = engine
      ? await engineRoundTrip(engine.process, engine.api, options)
      : undefined;
    const results: BenchResults = {
      options,
      ...rates,
      plainRoundTrip: plainRt,
      engineRoundTrip: engineRt,
      memory,
      plainRelayKiB,
      engineSkipped: skipped,
    };
    process.stdout.write(formatReport(results));
  } finally {
    engine?.api.close();
    await engine?.process.stop();
  }
  await remoteControl(options);
}

process.on('exit', () => {
  killAllChildren();
  removeEngineDataDirs();
});
process.on('SIGINT', () => {
  log('interrupted; stopping every process it started');
  killAllChildren();
  process.exit(130);
});
main().then(
  () => {
    killAllChildren();
    process.exit(0);
  },
  (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    killAllChildren();
    process.exit(1);
  },
);
