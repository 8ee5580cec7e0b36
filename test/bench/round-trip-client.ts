import { createInterface } from 'node:readline';
import type WebSocket from 'ws';
import { openWebSocket, sendBinary } from './baseline-pairs.js';
import { requireBufferutil } from './bench-checks.js';
import { GatewayParticipant } from './gateway-participant.js';
import { mapLimit, sleep } from './map-limit.js';
import { quantile, type RoundTripJob, type WorkerConnected } from './round-trip-job.js';

/**
 * A round-trip worker process: it opens every connection of its job (plain relay or engine
 * gateway) and reports `connected`. An echo worker then sends back whatever arrives, and prints
 * its counts since the last time on each `report`. A sender, on each `go`, sends small
 * timestamped messages at the job's interval on every connection for the time `go` gives (the
 * job's by default), times their echoes and prints the result, so one set of connections serves
 * several runs. Both stop on `end` or when their input ends. Everything is bounded in time.
 */
interface Link {
  send(body: Buffer): Promise<void>;
  /** `reply` sends back to whoever sent `body`. */
  onMessage(handler: (body: Buffer, reply: (answer: Buffer) => Promise<void>) => void): void;
  dropped(): number;
  close(): void;
}

const CONNECT_CONCURRENCY = 24;
/** Sends that failed (a connection that closed under the run) since the last result. */
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

/** Echoes on every link from now on; the counts are read (and reset) with `take`. */
function echo(links: readonly Link[]) {
  let echoed = 0;
  for (const link of links) {
    link.onMessage((body, reply) => {
      echoed++;
      reply(Buffer.from(body)).catch(countFailure);
    });
  }
  let droppedBefore = 0;
  return {
    take: () => {
      const dropped = links.reduce((sum, link) => sum + link.dropped(), 0);
      const counts = { echoed, dropped: dropped - droppedBefore, sendFailures };
      [echoed, droppedBefore, sendFailures] = [0, dropped, 0];
      return counts;
    },
  };
}

/** Times the echo of every message sent; `times` is read (and emptied) per run. */
function timeEchoes(links: readonly Link[]): number[] {
  const times: number[] = [];
  for (const link of links) {
    link.onMessage((body) => {
      if (body.length >= 8) times.push(Number(process.hrtime.bigint() - body.readBigUInt64BE(0)));
    });
  }
  return times;
}

/**
 * Calls `tick` at `phase`, `phase + every`, ... ms after `start` (on `performance.now()`),
 * each time from that schedule rather than from when the last tick ran: with `setInterval`,
 * ticks that a busy moment made late fired together and kept firing together from then on, so
 * independent sessions drifted into bursts. Returns what stops it.
 */
function onSchedule(start: number, phase: number, every: number, tick: () => void) {
  let due = start + phase;
  let timer: NodeJS.Timeout;
  const arm = () => {
    timer = setTimeout(() => {
      tick();
      due += every;
      arm();
    }, due - performance.now());
  };
  arm();
  return () => clearTimeout(timer);
}

async function sendFor(job: RoundTripJob, links: readonly Link[], durationMs: number) {
  let sent = 0;
  const filler = Buffer.alloc(Math.max(0, job.payloadBytes - 8), 0x33);
  const start = performance.now();
  const stops = links.map((link) => {
    const tick = () => {
      const stamp = Buffer.allocUnsafe(8);
      stamp.writeBigUInt64BE(process.hrtime.bigint());
      sent++;
      link.send(Buffer.concat([stamp, filler])).catch(countFailure);
    };
    // Spread the sessions over the interval so that they do not all send at once.
    return onSchedule(start, Math.random() * job.intervalMs, job.intervalMs, tick);
  });
  await sleep(durationMs);
  for (const stop of stops) stop();
  await sleep(DRAIN_MS);
  return sent;
}

function senderResult(sent: number, times: number[], dropped: number) {
  const sorted = Float64Array.from(times, (ns) => ns / 1e6).sort();
  return {
    t: 'result',
    sent,
    received: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    dropped,
    sendFailures,
  };
}

/** Runs `go` after `go` on the same links; each prints its own result. */
async function serveSender(
  job: RoundTripJob,
  links: readonly Link[],
  next: () => Promise<Command>,
) {
  const times = timeEchoes(links);
  let droppedBefore = 0;
  for (let command = await next(); command.t === 'go'; command = await next()) {
    [times.length, sendFailures] = [0, 0];
    const sent = await sendFor(job, links, command.durationMs ?? job.durationMs);
    const dropped = links.reduce((sum, link) => sum + link.dropped(), 0);
    say(senderResult(sent, times, dropped - droppedBefore));
    droppedBefore = dropped;
  }
}

async function serveEcho(links: readonly Link[], next: () => Promise<Command>) {
  const counts = echo(links);
  for (let command = await next(); command.t === 'report'; command = await next()) {
    say({ t: 'echoed', ...counts.take() });
  }
}

type Command = { readonly t?: string; readonly durationMs?: number };
const say = (message: unknown) => process.stdout.write(JSON.stringify(message) + '\n');

async function main(): Promise<void> {
  requireBufferutil();
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const nextLine = async () => JSON.parse(((await lines.next()).value as string) ?? '{}');
  const job = (await nextLine()) as RoundTripJob;

  const { links, report } = await connectAll(job);
  say(report);
  if (job.role === 'echo') await serveEcho(links, nextLine);
  else await serveSender(job, links, nextLine);
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
