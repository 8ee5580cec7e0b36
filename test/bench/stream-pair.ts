/**
 * One direction of a relay as the throughput run drives it: the sending end and the receiving
 * end of a pair, whatever carries the bytes (raw TCP, plain WebSocket, the engine's gateway).
 */
export interface StreamPair {
  /** Sends one frame; resolves once the frame left the process (written to the kernel). */
  send(payload: Buffer): Promise<void>;
  /** Bytes queued in the sender and not yet written to the kernel. */
  buffered(): number;
  /** Calls `onBytes` with the payload bytes of every frame that arrives at the receiving end. */
  onReceive(onBytes: (bytes: number) => void): void;
  /** Closes both ends. */
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
}

const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Sends `totalBytes` in frames of `frameBytes` through `pair` and times them from the first send
 * to the last byte received. The sender waits while more than 4 MiB are buffered, so memory
 * stays bounded; the whole run stops at `timeLimitMs` and reports what arrived by then.
 */
export async function measureThroughput(
  pair: StreamPair,
  totalBytes: number,
  frameBytes: number,
  timeLimitMs: number,
): Promise<ThroughputResult> {
  let received = 0;
  let finish: () => void = () => undefined;
  const allArrived = new Promise<void>((resolve) => (finish = resolve));
  pair.onReceive((bytes) => {
    received += bytes;
    if (received >= totalBytes) finish();
  });

  const started = performance.now();
  const deadline = started + timeLimitMs;
  const timer = setTimeout(finish, timeLimitMs);
  await sendAll(pair, totalBytes, frameBytes, deadline);
  await allArrived;
  clearTimeout(timer);

  const seconds = (performance.now() - started) / 1000;
  const bytes = Math.min(received, totalBytes);
  return { bytes, seconds, mbPerSecond: bytes / 1e6 / seconds, timedOut: bytes < totalBytes };
}

async function sendAll(pair: StreamPair, total: number, frameBytes: number, deadline: number) {
  const frame = Buffer.alloc(frameBytes, 0x5a);
  const pending: Array<Promise<void>> = [];
  for (let sent = 0; sent < total && performance.now() < deadline; sent += frameBytes) {
    pending.push(pair.send(frame));
    while (pair.buffered() > HIGH_WATER_BYTES && pending.length > 0) await pending.shift();
  }
  await Promise.all(pending);
}
