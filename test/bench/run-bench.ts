import { randomUUID } from 'node:crypto';
import { plainWsSender, rawTcpSender } from './baseline-pairs.js';
import { requireBufferutil } from './bench-checks.js';
import { parseBenchOptions, type BenchOptions } from './bench-options.js';
import { benchScript, killAllChildren, spawnBenchChild } from './bench-processes.js';
import { formatReport, type BenchResults } from './bench-report.js';
import { EngineApi } from './engine-api.js';
import {
  engineMissing,
  engineThroughputSession,
  measureEngineMemory,
  sdkThroughputSession,
} from './engine-bench.js';
import {
  engineProblems,
  removeEngineDataDirs,
  startEngineProcess,
  type EngineProcess,
} from './engine-process.js';
import { startProfile } from './engine-profiler.js';
import type { TimedPhaseHook } from './round-trip.js';
import { roundTripRounds } from './round-trip-rounds.js';
import { plainRelayKiBPerConnection } from './relay-memory.js';
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

/** A plain WebSocket relay (TLS) in a process of its own, once it listens. */
async function startPlainWsRelay(name: string) {
  const ws = spawnBenchChild(name, benchScript('plain-ws-relay'));
  const { port, cert } = await ws.nextMessage<{ port: number; cert: string }>(START_TIMEOUT_MS);
  return { process: ws, url: `wss://127.0.0.1:${port}`, cert, pid: ws.child.pid as number };
}

async function startRelays() {
  const tcp = spawnBenchChild('raw TCP relay', benchScript('raw-tcp-relay'));
  const clear = spawnBenchChild('ws relay without TLS', benchScript('plain-ws-relay'), [
    '--no-tls',
  ]);
  const ws = await startPlainWsRelay('plain ws relay');
  const { port: tcpPort } = await tcp.nextMessage<{ port: number }>(START_TIMEOUT_MS);
  const clearInfo = await clear.nextMessage<{ port: number }>(START_TIMEOUT_MS);
  return {
    tcpPid: tcp.child.pid as number,
    wsPid: ws.pid,
    clearPid: clear.child.pid as number,
    tcpPort,
    wsUrl: ws.url,
    wsCert: ws.cert,
    clearUrl: `ws://127.0.0.1:${clearInfo.port}`,
  };
}

type Relays = Awaited<ReturnType<typeof startRelays>>;
type RunningEngine = { process: EngineProcess; api: EngineApi };
function oneRun(
  target: ThroughputTarget,
  openSender: () => Promise<FrameSender>,
  relayPid: number,
  o: BenchOptions,
) {
  const totalBytes = o.mib * 1024 * 1024;
  const job: ThroughputJob = { ...target, totalBytes, connectTimeoutMs: 15_000 };
  const timeLimitMs = o.throughputLimitSeconds * 1000;
  const { profileDir } = o;
  return measureThroughput(job, openSender, {
    frameBytes: FRAME_BYTES,
    timeLimitMs,
    relayPid,
    profileDir,
  });
}

function tcpRun(relays: Relays, options: BenchOptions) {
  const pairId = randomUUID();
  const target = { kind: 'tcp' as const, port: relays.tcpPort, pairId };
  return oneRun(target, () => rawTcpSender(relays.tcpPort, pairId), relays.tcpPid, options);
}

function plainRun(base: string, ca: string, relayPid: number, options: BenchOptions) {
  const url = `${base}/pair/${randomUUID()}`;
  const target = { kind: 'plain' as const, url, ca };
  return oneRun(target, () => plainWsSender(url, ca), relayPid, options);
}

/** With `--profile-dir`, a hook that takes a CPU profile of the engine named `name`. */
function profileHook(engine: EngineProcess, options: BenchOptions, name: string) {
  const { inspectorUrl } = engine;
  if (!options.profileDir || !inspectorUrl) return undefined;
  const hook: TimedPhaseHook = async () => {
    const profile = await startProfile(inspectorUrl, options.profileDir, name);
    return async () => void log(`wrote ${await profile.stop()}`);
  };
  return hook;
}

async function sdkRun(engine: RunningEngine, options: BenchOptions) {
  const { seat, openSender } = await sdkThroughputSession(engine.process, engine.api);
  const target = { kind: 'sdk' as const, seat, ca: engine.process.cert };
  return oneRun(target, openSender, engine.process.process.child.pid as number, options);
}

async function engineRun(engine: RunningEngine, options: BenchOptions, round: number) {
  const { seat, openSender } = await engineThroughputSession(engine.process, engine.api);
  const hook = profileHook(engine.process, options, `engine-throughput-${round}`);
  const stopProfile = await hook?.();
  try {
    const target = { kind: 'engine' as const, seat, ca: engine.process.cert };
    return await oneRun(target, openSender, engine.process.process.child.pid as number, options);
  } finally {
    await stopProfile?.();
  }
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
  const sdk: ThroughputResult[] = [];
  // Interleaved, so that a slow moment of the machine does not fall on one relay only.
  for (let round = 1; round <= (options.skipThroughput ? 0 : options.rounds); round++) {
    log(`throughput round ${round} of ${options.rounds}`);
    tcp.push(await tcpRun(relays, options));
    plainWs.push(await plainRun(relays.wsUrl, relays.wsCert, relays.wsPid, options));
    clearWs.push(await plainRun(relays.clearUrl, '', relays.clearPid, options));
    if (engine) encrypted.push(await engineRun(engine, options, round));
    if (engine) sdk.push(await sdkRun(engine, options));
  }
  return { tcp, plainWs, clearWs, engine: engine ? encrypted : undefined, sdk: engine && sdk };
}

async function startEngine(options: BenchOptions, inspect: boolean) {
  if (options.skipEngine) return { skipped: '--skip-engine was given' };
  log(inspect ? 'starting an engine with the inspector' : 'starting the engine');
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

/** Times throughput and round trips; the engine they used is stopped before this returns. */
async function timedRuns(relays: Relays, options: BenchOptions) {
  // Profiling needs the inspector; its figures are then for finding costs, not for the targets.
  const { engine, skipped } = await startEngine(options, options.profileDir !== '');
  try {
    const rates = await throughputRounds(relays, engine, options);
    const profile = engine && profileHook(engine.process, options, 'engine-round-trip');
    const trips = options.skipRoundTrip
      ? { plain: undefined, engine: undefined }
      : await roundTripRounds(relays, engine, options, profile);
    return { ...rates, plainRoundTrips: trips.plain, engineRoundTrips: trips.engine, skipped };
  } finally {
    engine?.api.close();
    await engine?.process.stop();
  }
}

/** The engine's memory per idle end user, and an idle connection's RSS on a fresh plain relay. */
async function memoryRuns(options: BenchOptions) {
  const memory = options.skipMemory ? undefined : await engineMemory(options);
  if (!memory) return { memory, plainRelayKiB: undefined };
  // A relay of its own: after the timed runs, the first one's RSS holds freed memory it reuses.
  const ws = await startPlainWsRelay('plain ws relay (memory)');
  try {
    const plainRelayKiB = await plainRelayKiBPerConnection(
      ws.url,
      ws.cert,
      ws.pid,
      options.sessions,
    );
    return { memory, plainRelayKiB };
  } finally {
    await ws.process.stop(2_000);
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.onlyRemoteControl) return remoteControl(options);
  requireBufferutil();
  const relays = await startRelays();
  // The timed runs come first: throughput's senders run in this process, which the memory run
  // fills with a thousand sessions' seats, and a bigger heap here made every sender slower.
  const { skipped, ...timed } = await timedRuns(relays, options);
  const results: BenchResults = {
    options,
    ...timed,
    ...(await memoryRuns(options)),
    engineSkipped: skipped,
  };
  process.stdout.write(formatReport(results));
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
    const problems = engineProblems();
    if (problems.length > 0) log(`the engines warned:\n${problems.slice(-20).join('\n')}`);
    killAllChildren();
    process.exit(1);
  },
);
