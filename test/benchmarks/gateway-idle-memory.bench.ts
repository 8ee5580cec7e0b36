// On-demand benchmark (not a mocha spec):
//   node --expose-gc dist/test/benchmarks/gateway-idle-memory.bench.js
// Opens idle waiting end users (one session each) from a child process and prints what each
// costs the gateway's process: heap plus buffers, and resident memory. BENCH_PENDING=1 opens
// connections that never authenticate, to see what the socket alone costs.
import { fork } from 'node:child_process';
import { WebSocket } from 'ws';
import { endUserAuth, startGatewayHarness } from '../engine/gateway/gateway-harness.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 2_000);

async function clients(url: string, ca: string): Promise<void> {
  const open: WebSocket[] = [];
  for (let i = 0; i < COUNT; i++) {
    const ws = new WebSocket(url, { ca });
    await new Promise((resolve) => ws.once('open', resolve));
    if (process.env.BENCH_PENDING !== '1') {
      ws.send(JSON.stringify(endUserAuth(`idle-${i}`, 'eu-1', 'secret')));
      await new Promise((resolve) => ws.once('message', resolve));
    }
    open.push(ws);
  }
  process.send!('ready');
}

async function measure(): Promise<number[]> {
  // Twice, with a pause: array buffers are freed a little after the collection that found them.
  for (let i = 0; i < 2; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const usage = process.memoryUsage();
  return [usage.heapUsed + usage.external, usage.rss, usage.heapUsed, usage.external];
}

async function main(): Promise<void> {
  const harness = await startGatewayHarness({ authTimeoutMs: 600_000 });
  for (let i = 0; i < COUNT; i++) {
    harness.port.addSession(`idle-${i}`);
    harness.port.addEndUser(`idle-${i}`, 'eu-1', 'secret');
  }
  const url = harness.nodes[0]!.url.replace('https:', 'wss:') + '/gateway';
  const before = await measure();
  const env = { ...process.env, BENCH_CA: harness.cert };
  const child = fork(__filename, ['clients', url], { stdio: 'inherit', env, execArgv: [] });
  child.send('go');
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await measure();
  if (process.env.BENCH_SNAPSHOT) require('node:v8').writeHeapSnapshot(process.env.BENCH_SNAPSHOT);
  const per = (index: number) => ((after[index]! - before[index]!) / COUNT / 1024).toFixed(1);
  console.log(`${harness.nodes[0]!.gateway.size} idle end users`);
  console.log(`heap + external: ${per(0)} KiB each (heap ${per(2)}, external ${per(3)})`);
  console.log(`resident: ${per(1)} KiB each`);
  child.kill();
  await harness.stop();
  process.exit(0);
}

if (process.argv[2] === 'clients') {
  process.once('message', () => void clients(process.argv[3]!, process.env.BENCH_CA ?? ''));
} else {
  void main();
}
