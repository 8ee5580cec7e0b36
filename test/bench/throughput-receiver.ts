import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { openWebSocket } from './baseline-pairs.js';
import { requireBufferutil } from './bench-checks.js';
import { DATA_HEADER_BYTES, GatewayParticipant } from './gateway-participant.js';
import { connectSessionClient, SDK_CHANNEL } from './sdk-throughput.js';
import { wallClockMs, type ThroughputDone, type ThroughputJob } from './throughput-job.js';

/**
 * The receiving end of a throughput run, as a process of its own so that it does not share a
 * core with the sender: it connects as its job says, prints `connected`, counts payload bytes
 * and prints `done` with the arrival time of the last byte once all arrived or on `stop`.
 */
interface Receiver {
  onBytes(handler: (bytes: number) => void): void;
  dropped(): number;
}

async function connectReceiver(job: ThroughputJob): Promise<Receiver> {
  if (job.kind === 'tcp') {
    const socket = connect({ host: '127.0.0.1', port: job.port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(`${job.pairId}\n`);
    return { onBytes: (h) => socket.on('data', (c: Buffer) => h(c.length)), dropped: () => 0 };
  }
  if (job.kind === 'plain') {
    const socket = await openWebSocket(job.url, job.ca);
    return { onBytes: (h) => socket.on('message', (d: Buffer) => h(d.length)), dropped: () => 0 };
  }
  const { seat } = job;
  if (job.kind === 'sdk') {
    const client = await connectSessionClient(
      seat,
      seat.auth.engineKey!,
      job.ca,
      job.connectTimeoutMs,
    );
    const drops = () => Object.values(client.stats().dropped).reduce((sum, n) => sum + n, 0);
    return {
      onBytes: (h) => void client.onChannel(SDK_CHANNEL, (b) => h(b.length)),
      dropped: drops,
    };
  }
  const endUser = await GatewayParticipant.connect(
    seat.gatewayUrl,
    job.ca,
    seat.auth,
    job.connectTimeoutMs,
    { acknowledge: true },
  );
  return {
    onBytes: (h) => endUser.onData((_from, body) => h(body.length + DATA_HEADER_BYTES)),
    dropped: () => endUser.dropped,
  };
}

async function main(): Promise<void> {
  requireBufferutil();
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const job = JSON.parse(((await lines.next()).value as string | undefined) ?? '{}');
  const say = (message: unknown) => process.stdout.write(JSON.stringify(message) + '\n');
  const receiver = await connectReceiver(job as ThroughputJob);

  let bytes = 0;
  let lastAt = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  receiver.onBytes((count) => {
    bytes += count;
    lastAt = wallClockMs();
    if (bytes >= (job as ThroughputJob).totalBytes) finish();
  });
  say({ t: 'connected' });
  void lines.next().then(finish);
  await finished;
  const done: ThroughputDone = { t: 'done', bytes, lastAt, dropped: receiver.dropped() };
  say(done);
}

process.on('SIGTERM', () => process.exit(0));
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`throughput-receiver: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
