import { benchScript, profileArgs, spawnBenchChild, type BenchChild } from './bench-processes.js';
import { cpuSecondsOf, CpuMeter } from './process-cpu.js';
import type { EchoResult, RoundTripJob, SenderResult, WorkerConnected } from './round-trip-job.js';
import { sleep } from './map-limit.js';

/** One timed round-trip run through one relay. */
export interface RoundTripRun {
  readonly sender: SenderResult;
  readonly echo: EchoResult;
  /** CPU seconds each process used during the run (relay, sender and echo workers). */
  readonly cpu: Readonly<Record<'relay' | 'sender' | 'echo', number>>;
}

/** Called when a timed run starts; what it returns is called when the run is over. */
export type TimedPhaseHook = () => Promise<() => Promise<void>>;

/** How the workers of one relay are started. */
export interface RoundTripSetup {
  readonly connectTimeoutMs: number;
  /** The relay process (the plain relay or the engine), whose CPU time is reported. */
  readonly relayPid: number | undefined;
  /** Where both workers write a CPU profile of their whole life (`--profile-dir`), if at all. */
  readonly profileDir?: string;
}

/** Both workers of one relay, connected, ready for any number of runs. */
export interface RoundTripPair {
  /** One run of `durationMs` (the job's by default); `onTimed` brackets the timed part. */
  run(durationMs?: number, onTimed?: TimedPhaseHook): Promise<RoundTripRun>;
  /** Resolves once the relay used at most `share` of a core over a second (or `limitMs`). */
  settle(share: number, limitMs: number): Promise<void>;
  close(): Promise<void>;
}

const RESULT_SLACK_MS = 60_000;
const SETTLE_WINDOW_MS = 1_000;
/**
 * V8's first young-generation size, held for the whole life of every round-trip worker of
 * either relay. Connecting a thousand sessions through the engine (certificates checked, keys
 * derived) grew its workers' young generation: in the timed runs they allocated 3-6 MB between
 * two collections, the plain relay's workers 0.6-1.5 MB, and each collection paused 2-6 ms
 * instead of 1-1.5. A cost of connecting a thousand sessions from one process, which no real
 * client has.
 */
const WORKER_HEAP_ARGS = ['--max-semi-space-size=1'];

/**
 * Starts a round-trip measurement in two worker processes (the fd limit and two cores make one
 * process for 2,000 connections a poor client): the echo side connects first, then the sender.
 * The connections stay up between runs, so the runs of two relays can take turns.
 */
export async function openRoundTrip(
  echoJob: RoundTripJob,
  senderJob: RoundTripJob,
  setup: RoundTripSetup,
): Promise<RoundTripPair> {
  const workers: BenchChild[] = [];
  try {
    const echo = await startWorker('round-trip echo', echoJob, setup, workers);
    const sender = await startWorker('round-trip sender', senderJob, setup, workers);
    const pids = { relay: setup.relayPid, sender: sender.child.pid, echo: echo.child.pid };
    return {
      run: async (durationMs = senderJob.durationMs, onTimed) => {
        const timedOver = await onTimed?.();
        const meter = new CpuMeter(pids);
        sender.send({ t: 'go', durationMs });
        const senderResult = await sender.nextMessage<SenderResult>(durationMs + RESULT_SLACK_MS);
        const cpu = meter.used();
        await timedOver?.();
        echo.send({ t: 'report' });
        const echoResult = await echo.nextMessage<EchoResult>(RESULT_SLACK_MS);
        return { sender: senderResult, echo: echoResult, cpu };
      },
      settle: (share, limitMs) => settle(setup.relayPid, share, limitMs),
      close: () => stopWorkers(workers),
    };
  } catch (error) {
    await stopWorkers(workers);
    throw error;
  }
}

async function stopWorkers(workers: readonly BenchChild[]): Promise<void> {
  for (const worker of workers) worker.send({ t: 'end' });
  await Promise.all(workers.map((worker) => worker.stop(2_000)));
}

/** Waits while `pid` is busy (an engine still writing what 2,000 admissions left it to do). */
async function settle(pid: number | undefined, share: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const before = cpuSecondsOf(pid);
    await sleep(SETTLE_WINDOW_MS);
    const used = cpuSecondsOf(pid) - before;
    if (!(used > share * (SETTLE_WINDOW_MS / 1000))) return;
  }
}

async function startWorker(
  name: string,
  job: RoundTripJob,
  setup: RoundTripSetup,
  workers: BenchChild[],
): Promise<BenchChild> {
  const { profileDir } = setup;
  const profileName = `${job.kind}-round-trip-${job.role}.cpuprofile`;
  const nodeArgs = [...WORKER_HEAP_ARGS, ...profileArgs(profileDir, profileName)];
  const worker = spawnBenchChild(name, benchScript('round-trip-client'), [], process.env, {
    nodeArgs,
  });
  workers.push(worker);
  worker.send(job);
  const connected = await worker
    .nextMessage<WorkerConnected>(setup.connectTimeoutMs)
    .catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${worker.stderr().slice(-2000)}`);
    });
  const expected = job.kind === 'plain' ? job.urls.length : job.seats.length;
  if (connected.failed > 0 || connected.connections !== expected) {
    throw new Error(
      `${name}: ${connected.connections} of ${expected} connected; first error: ` +
        `${connected.firstError ?? 'none'}`,
    );
  }
  return worker;
}
