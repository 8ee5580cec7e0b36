import { createInterface } from 'node:readline';
import type WebSocket from 'ws';
import { openWebSocket, sendBinary } from './baseline-pairs.js';
import { requireBufferutil } from './bench-checks.js';
import { GatewayParticipant } from './gateway-participant.js';
import { mapLimit, sleep } from './map-limit.js';
import { quantile, type RoundTripJob, type WorkerConnected } from './round-trip-job.js';

/**
 * A round-trip worker process: it opens every connection of its job (plain relay or engine
 * gateway), reports `connected`, and on `go` either sends small timestamped messages at the
 * job's interval on every connection and times their echoes (`sender`), or echoes whatever
 * arrives (`echo`) until `stop`. Everything is bounded by the job's times.
 */
interface Link {
  send(body: Buffer): Promise<void>;
  /** `reply` sends back to whoever sent `body`. */
  onMessage(handler: (body: Buffer, reply: (answer: Buffer) => Promise<void>) => void): void;
  dropped(): number;
  close(): void;
}

const CONNECT_CONCURRENCY = 24;
/** Sends that failed (a connection that closed under the run); reported, never hidden. */
let sendFailures = 0;
const countFailure = () => void sendFailures++;
const DRAIN_MS = 2_000;

function plainLink(socket: WebSocket): Link {
  const send = (body: Buffer) => sendBinary(socket, body);
  return {
    send,
    onMessage: (handler) => socket.on('message', (data: Buffer) => handler(data, send)),
    dropped: () => 0,
    close: () => socket.terminate(),
  };
}

/** A sender waits for its peer's keys; an echo answers whoever wrote, so it need not wait. */
async function engineLink(participant: GatewayParticipant, job: RoundTripJob): Promise<Link> {
  const peer = job.role === 'sender' ? await participant.firstPeer(job.connectTimeoutMs) : '';
  return {
    send: (body) => participant.send(peer, body),
    onMessage: (handler) =>
      participant.onData((from, body) => handler(body, (answer) => participant.send(from, answer))),
    dropped: () => participant.dropped,
    close: () => participant.close(),
  };
}

async function connectAll(job: RoundTripJob): Promise<{ links: Link[]; report: WorkerConnected }> {
  const targets: ReadonlyArray<unknown> = job.kind === 'plain' ? job.urls : job.seats;
  let failed = 0;
  let firstError: string | undefined;
  const made = await mapLimit(targets, CONNECT_CONCURRENCY, async (_target, index) => {
    try {
      return await connectOne(job, index);
    } catch (error) {
      failed++;
      firstError ??= (error as Error).message;
      return undefined;
    }
  });
  const links = made.filter((link): link is Link => link !== undefined);
  return { links, report: { t: 'connected', connections: links.length, failed, firstError } };
}

async function connectOne(job: RoundTripJob, index: number): Promise<Link> {
  if (job.kind === 'plain') return plainLink(await openWebSocket(job.urls[index]!, job.ca));
  const seat = job.seats[index]!;
  const timeout = job.connectTimeoutMs;
  const participant = await GatewayParticipant.connect(seat.gatewayUrl, job.ca, seat.auth, timeout);
  return engineLink(participant, job);
}

function echo(links: readonly Link[]): () => number {
  let echoed = 0;
  for (const link of links) {
    link.onMessage((body, reply) => {
      echoed++;
      reply(Buffer.from(body)).catch(countFailure);
    });
  }
  return () => echoed;
}

async function sendAndTime(job: RoundTripJob, links: readonly Link[]) {
  const times: number[] = [];
  let sent = 0;
  const filler = Buffer.alloc(Math.max(0, job.payloadBytes - 8), 0x33);
  for (const link of links) {
    link.onMessage((body) => {
      if (body.length >= 8) times.push(Number(process.hrtime.bigint() - body.readBigUInt64BE(0)));
    });
  }
  const timers = links.map((link) => {
    const tick = () => {
      const stamp = Buffer.allocUnsafe(8);
      stamp.writeBigUInt64BE(process.hrtime.bigint());
      sent++;
      link.send(Buffer.concat([stamp, filler])).catch(countFailure);
    };
    // Spread the sessions over the interval so that they do not all send at once.
    const phase = Math.random() * job.intervalMs;
    let every: NodeJS.Timeout | undefined;
    const first = setTimeout(() => (every = setInterval(tick, job.intervalMs)), phase);
    return () => (clearTimeout(first), clearInterval(every));
  });
  await sleep(job.durationMs);
  for (const stop of timers) stop();
  await sleep(DRAIN_MS);
  return { sent, times };
}

function senderResult(sent: number, times: number[], links: readonly Link[]) {
  const sorted = Float64Array.from(times, (ns) => ns / 1e6).sort();
  return {
    t: 'result',
    sent,
    received: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    dropped: links.reduce((sum, link) => sum + link.dropped(), 0),
    sendFailures,
  };
}

async function main(): Promise<void> {
  requireBufferutil();
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const nextLine = async () => JSON.parse(((await lines.next()).value as string) ?? '{}');
  const job = (await nextLine()) as RoundTripJob;
  const say = (message: unknown) => process.stdout.write(JSON.stringify(message) + '\n');

  const { links, report } = await connectAll(job);
  say(report);
  const command = (await nextLine()) as { t?: string };
  if (command.t !== 'go') return;
  if (job.role === 'echo') {
    const echoed = echo(links);
    await nextLine();
    const dropped = links.reduce((sum, link) => sum + link.dropped(), 0);
    say({ t: 'echoed', echoed: echoed(), dropped, sendFailures });
  } else {
    const { sent, times } = await sendAndTime(job, links);
    say(senderResult(sent, times, links));
  }
  for (const link of links) link.close();
}

process.on('SIGTERM', () => process.exit(0));
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`round-trip-client: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
