import { benchScript, spawnBenchChild } from './bench-processes.js';
import { wallClockMs, type ThroughputDone, type ThroughputJob } from './throughput-job.js';

/** The sending end of a relay as a throughput run drives it (raw TCP, plain ws, the engine). */
export interface FrameSender {
  /** Sends one frame; resolves once the frame left the process (written to the kernel). */
  send(payload: Buffer): Promise<void>;
  /** Bytes queued in the sender and not yet written to the kernel. */
  buffered(): number;
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
  frameBytes: number,
  timeLimitMs: number,
): Promise<ThroughputResult> {
  const receiver = spawnBenchChild('throughput receiver', benchScript('throughput-receiver'));
  try {
    receiver.send(job);
    await receiver.nextMessage(job.connectTimeoutMs + SLACK_MS);
    const sender = await openSender();
    try {
      const startedAt = wallClockMs();
      await sendAll(sender, job.totalBytes, frameBytes, startedAt + timeLimitMs);
      const left = Math.max(0, startedAt + timeLimitMs - wallClockMs());
      const done = await receiver.nextMessage<ThroughputDone>(left).catch(() => {
        receiver.send({ t: 'stop' });
        return receiver.nextMessage<ThroughputDone>(SLACK_MS);
      });
      return resultOf(done, job.totalBytes, startedAt);
    } finally {
      sender.close();
    }
  } finally {
    await receiver.stop(2_000);
  }
}

function resultOf(done: ThroughputDone, total: number, startedAt: number): ThroughputResult {
  const bytes = Math.min(done.bytes, total);
  const seconds = bytes > 0 ? (done.lastAt - startedAt) / 1000 : Number.NaN;
  const mbPerSecond = bytes > 0 ? bytes / 1e6 / seconds : 0;
  return { bytes, seconds, mbPerSecond, timedOut: bytes < total, dropped: done.dropped };
}

async function sendAll(sender: FrameSender, total: number, frameBytes: number, deadline: number) {
  const frame = Buffer.alloc(frameBytes, 0x5a);
  const pending: Array<Promise<void>> = [];
  for (let sent = 0; sent < total && wallClockMs() < deadline; sent += frameBytes) {
    pending.push(sender.send(frame));
    while (sender.buffered() > HIGH_WATER_BYTES && pending.length > 0) await pending.shift();
  }
  await Promise.all(pending);
}
