import { benchScript, profileArgs, spawnBenchChild } from './bench-processes.js';
import { CpuMeter } from './process-cpu.js';
import { wallClockMs, type ThroughputDone, type ThroughputJob } from './throughput-job.js';

/** The sending end of a relay as a throughput run drives it (raw TCP, plain ws, the engine). */
export interface FrameSender {
  /** Sends one frame; resolves once the frame left the process (written to the kernel). */
  send(payload: Buffer): Promise<void>;
  /** Bytes queued in the sender and not yet written to the kernel. */
  buffered(): number;
  /** Resolves once the sender's window has room for `bytes` more (false after `timeoutMs`). */
  room?(bytes: number, timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** What one throughput run measured. */
export interface ThroughputResult {
  readonly bytes: number;
  readonly seconds: number;
  /** Payload megabytes (10^6 bytes) per second. */
  readonly mbPerSecond: number;
  /** True when the time limit ended the run before every byte arrived. */
  readonly timedOut: boolean;
  /** Frames the receiver could not open (engine only). */
  readonly dropped: number;
  /** CPU seconds each process used during the run: which one pays for the bytes. */
  readonly cpu: Readonly<Record<'sender' | 'relay' | 'receiver', number>>;
}

/** How one throughput run goes. */
export interface ThroughputRun {
  readonly frameBytes: number;
  readonly timeLimitMs: number;
  /** The relay's process, whose CPU time is measured. */
  readonly relayPid: number;
  /** Where the receiver writes its CPU profile (`--profile-dir`); empty for none. */
  readonly profileDir: string;
}

const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const SLACK_MS = 10_000;

/**
 * Sends `job.totalBytes` in frames of `frameBytes` from this process to a receiver process
 * (`throughput-receiver`), timed from the first send to the arrival of the last byte. The sender
 * waits while more than 4 MiB are buffered, so memory stays bounded; at `timeLimitMs` the run
 * stops and reports what arrived by then.
 */
export async function measureThroughput(
  job: ThroughputJob,
  openSender: () => Promise<FrameSender>,
  run: ThroughputRun,
): Promise<ThroughputResult> {
  const nodeArgs = profileArgs(run.profileDir, `${job.kind}-throughput-receiver.cpuprofile`);
  const script = benchScript('throughput-receiver');
  const receiver = spawnBenchChild('throughput receiver', script, [], process.env, { nodeArgs });
  try {
    receiver.send(job);
    await receiver.nextMessage(job.connectTimeoutMs + SLACK_MS);
    const sender = await openSender();
    try {
      const pids = { sender: process.pid, relay: run.relayPid, receiver: receiver.child.pid };
      const meter = new CpuMeter(pids);
      const startedAt = wallClockMs();
      await sendAll(sender, job.totalBytes, run.frameBytes, startedAt + run.timeLimitMs);
      const left = Math.max(0, startedAt + run.timeLimitMs - wallClockMs());
      const done = await receiver.nextMessage<ThroughputDone>(left).catch(() => {
        receiver.send({ t: 'stop' });
        return receiver.nextMessage<ThroughputDone>(SLACK_MS);
      });
      return { ...resultOf(done, job.totalBytes, startedAt), cpu: meter.used() };
    } finally {
      sender.close();
    }
  } finally {
    await receiver.stop(2_000);
  }
}

function resultOf(done: ThroughputDone, total: number, startedAt: number) {
  const bytes = Math.min(done.bytes, total);
  const seconds = bytes > 0 ? (done.lastAt - startedAt) / 1000 : Number.NaN;
  const mbPerSecond = bytes > 0 ? bytes / 1e6 / seconds : 0;
  return { bytes, seconds, mbPerSecond, timedOut: bytes < total, dropped: done.dropped };
}

async function sendAll(sender: FrameSender, total: number, frameBytes: number, deadline: number) {
  const frame = Buffer.alloc(frameBytes, 0x5a);
  const pending: Array<Promise<void>> = [];
  for (let sent = 0; sent < total && wallClockMs() < deadline; sent += frameBytes) {
    if (sender.room && !(await sender.room(frameBytes, deadline - wallClockMs()))) break;
    pending.push(sender.send(frame));
    while (sender.buffered() > HIGH_WATER_BYTES && pending.length > 0) await pending.shift();
  }
  await Promise.all(pending);
}
