import { benchScript, spawnBenchChild, type BenchChild } from './bench-processes.js';
import type { EchoResult, RoundTripJob, SenderResult, WorkerConnected } from './round-trip-job.js';

/** Both sides of a round-trip run. */
export interface RoundTripRun {
  readonly sender: SenderResult;
  readonly echo: EchoResult;
}

const RESULT_SLACK_MS = 60_000;

/**
 * Runs a round-trip measurement in two worker processes (the fd limit and two cores make one
 * process for 2,000 connections a poor client): the echo side connects first, then the sender;
 * both start on `go`, and the sender reports its percentiles after the job's duration.
 */
export async function measureRoundTrip(
  echoJob: RoundTripJob,
  senderJob: RoundTripJob,
  connectTimeoutMs: number,
): Promise<RoundTripRun> {
  const workers: BenchChild[] = [];
  try {
    const echo = await startWorker('round-trip echo', echoJob, connectTimeoutMs, workers);
    const sender = await startWorker('round-trip sender', senderJob, connectTimeoutMs, workers);
    echo.send({ t: 'go' });
    sender.send({ t: 'go' });
    const wait = senderJob.durationMs + RESULT_SLACK_MS;
    const senderResult = await sender.nextMessage<SenderResult>(wait);
    echo.send({ t: 'stop' });
    const echoResult = await echo.nextMessage<EchoResult>(RESULT_SLACK_MS);
    return { sender: senderResult, echo: echoResult };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop(2_000)));
  }
}

async function startWorker(
  name: string,
  job: RoundTripJob,
  timeoutMs: number,
  workers: BenchChild[],
): Promise<BenchChild> {
  const worker = spawnBenchChild(name, benchScript('round-trip-client'));
  workers.push(worker);
  worker.send(job);
  const connected = await worker.nextMessage<WorkerConnected>(timeoutMs).catch((error) => {
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
