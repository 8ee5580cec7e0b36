import { cpus } from 'node:os';
import type { BenchOptions } from './bench-options.js';
import type { MemoryResult } from './engine-bench.js';
import type { RoundTripRun } from './round-trip.js';
import type { SenderResult } from './round-trip-job.js';
import type { ThroughputResult } from './throughput-run.js';

/** Everything one bench run measured; a part that did not run is undefined. */
export interface BenchResults {
  readonly options: BenchOptions;
  readonly tcp: readonly ThroughputResult[];
  readonly plainWs: readonly ThroughputResult[];
  /** The same relay without TLS: a reference row, in no target. */
  readonly clearWs: readonly ThroughputResult[];
  readonly engine?: readonly ThroughputResult[];
  /** The engine with the SDK's session client at both ends: a reference row, in no target. */
  readonly sdk?: readonly ThroughputResult[];
  /** The timed round-trip runs of each relay, in the order they ran (they took turns). */
  readonly plainRoundTrips?: readonly RoundTripRun[];
  readonly engineRoundTrips?: readonly RoundTripRun[];
  readonly memory?: MemoryResult;
  /** Resident KiB an idle TLS WebSocket costs the plain relay: the floor under the engine's. */
  readonly plainRelayKiB?: number;
  /** Why the engine part did not run. */
  readonly engineSkipped?: string;
}

const fixed = (value: number | undefined, digits = 2) =>
  value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);

/** The median MB/s of some runs. */
export function medianRate(runs: readonly ThroughputResult[] | undefined): number | undefined {
  if (!runs || runs.length === 0) return undefined;
  const sorted = runs.map((run) => run.mbPerSecond).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function rateRow(name: string, runs: readonly ThroughputResult[] | undefined): string {
  if (!runs) return `  ${name.padEnd(24)} not measured`;
  const all = runs.map((run) => fixed(run.mbPerSecond, 0) + (run.timedOut ? '*' : ''));
  const dropped = runs.reduce((sum, run) => sum + run.dropped, 0);
  const median = fixed(medianRate(runs), 0).padStart(6);
  const drops = dropped > 0 ? `, ${dropped} frames dropped` : '';
  return `  ${name.padEnd(24)} ${median} MB/s   (${all.join(', ')})${drops}`;
}

/** Median CPU milliseconds per MiB relayed, of the sender, the relay and the receiver. */
function throughputCpuRow(name: string, runs: readonly ThroughputResult[] | undefined): string {
  if (!runs || runs.length === 0) return `  ${name.padEnd(24)} no CPU figures`;
  const perMiB = (pick: 'sender' | 'relay' | 'receiver') =>
    fixed(median(runs.map((run) => (run.cpu[pick] * 1000) / (run.bytes / 1048576))));
  const each = (['sender', 'relay', 'receiver'] as const).map((n) => `${n} ${perMiB(n)}`);
  return `  ${name.padEnd(24)} CPU ms per MiB: ${each.join(', ')}`;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** One line per relay: median p50 and p99 over its runs, every p99, and what went missing. */
function roundTripRow(name: string, runs: readonly RoundTripRun[] | undefined): string {
  if (!runs || runs.length === 0) return `  ${name.padEnd(24)} not measured`;
  const senders = runs.map((run) => run.sender);
  const sum = (pick: (run: RoundTripRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const sent = sum((r) => r.sender.sent);
  const received = sum((r) => r.sender.received);
  const dropped = sum((r) => r.sender.dropped + r.echo.dropped);
  const failed = sum((r) => r.sender.sendFailures + r.echo.sendFailures);
  const p50 = fixed(median(senders.map((s) => s.p50))).padStart(7);
  const p99 = fixed(median(senders.map((s) => s.p99))).padStart(7);
  const all = senders.map((s) => fixed(s.p99, 1)).join(', ');
  return (
    `  ${name.padEnd(24)} p50 ${p50} ms   p99 ${p99} ms (${all})\n` +
    `  ${''.padEnd(24)} ${received}/${sent} echoed` +
    (sent > received ? ` (${sent - received} missing)` : '') +
    (dropped > 0 ? `, ${dropped} frames dropped` : '') +
    (failed > 0 ? `, ${failed} sends failed` : '')
  );
}

/** Median CPU seconds per run of the relay and of both workers: where the work went. */
function cpuRow(name: string, runs: readonly RoundTripRun[] | undefined): string {
  if (!runs || runs.length === 0) return `  ${name.padEnd(24)} no CPU figures`;
  const cpu = (pick: 'relay' | 'sender' | 'echo') => fixed(median(runs.map((r) => r.cpu[pick])));
  const each = `relay ${cpu('relay')}, sender ${cpu('sender')}, echo ${cpu('echo')}`;
  return `  ${name.padEnd(24)} CPU s per run: ${each}`;
}

/** The median over rounds of engine / plain, each round's two runs taken side by side. */
function pairedRatio(
  engine: readonly RoundTripRun[] | undefined,
  plain: readonly RoundTripRun[] | undefined,
  pick: (sender: SenderResult) => number,
): number | undefined {
  if (!engine || !plain) return undefined;
  const count = Math.min(engine.length, plain.length);
  const ratios = Array.from(
    { length: count },
    (_, i) => pick(engine[i]!.sender) / pick(plain[i]!.sender),
  );
  return median(ratios);
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

function memoryRows(memory: MemoryResult | undefined, plainRelayKiB?: number): string[] {
  if (!memory) return ['  not measured'];
  const { before, after } = memory;
  return [
    `  plain ws relay (TLS)     ${fixed(plainRelayKiB, 1)} KiB rss per idle connection`,
    `  rss                      ${mib(before.rss)} MiB -> ${mib(after.rss)} MiB`,
    `  heap used                ${mib(before.heapUsed)} MiB -> ${mib(after.heapUsed)} MiB`,
    `  external + buffers       ${mib(before.external)} MiB -> ${mib(after.external)} MiB`,
    `  per idle end user        ${fixed(memory.rssPerEndUserKiB, 1)} KiB rss, ` +
      `${fixed(memory.heapPerEndUserKiB, 1)} KiB heap, ` +
      `${fixed(memory.heldPerEndUserKiB, 1)} KiB heap + external`,
  ];
}

function target(name: string, value: number | undefined, goal: string, met: boolean): string {
  const verdict =
    value === undefined || Number.isNaN(value) ? 'not measured' : met ? 'met' : 'NOT met';
  return `  ${name.padEnd(38)} ${fixed(value).padStart(8)}   target ${goal.padEnd(10)} ${verdict}`;
}

/** The report: a table per measurement, then one line per target of the issue. */
export function formatReport(results: BenchResults): string {
  const { options: o } = results;
  const tcp = medianRate(results.tcp);
  const ws = medianRate(results.plainWs);
  const engine = medianRate(results.engine);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a / b;
  const { engineRoundTrips: engineTrips, plainRoundTrips: plainTrips } = results;
  const p99Ratio = pairedRatio(engineTrips, plainTrips, (sender) => sender.p99);
  const p50Ratio = pairedRatio(engineTrips, plainTrips, (sender) => sender.p50);
  const vsWs = ratio(engine, ws);
  const held = results.memory?.heldPerEndUserKiB;
  const rssVsPlain = ratio(results.memory?.rssPerEndUserKiB, results.plainRelayKiB);
  return [
    '',
    `Tether bench: node ${process.version}, ${cpus().length} CPUs, everything on 127.0.0.1`,
    ...(results.engineSkipped ? [`engine part skipped: ${results.engineSkipped}`] : []),
    '',
    `Throughput: ${o.mib} MiB one way in 64 KiB frames, median of ${o.rounds}` +
      ' (* hit the time limit)',
    rateRow('raw TCP relay process', results.tcp),
    rateRow('plain ws relay (TLS)', results.plainWs),
    rateRow('  same, without TLS', results.clearWs),
    rateRow('engine (AES-256-GCM e2e)', results.engine),
    rateRow('  same, SDK client', results.sdk),
    `  engine / plain ws        ${fixed(vsWs)}`,
    `  engine / raw TCP         ${fixed(ratio(engine, tcp))}`,
    `  plain ws / raw TCP       ${fixed(ratio(ws, tcp))}`,
    throughputCpuRow('raw TCP relay process', results.tcp),
    throughputCpuRow('plain ws relay (TLS)', results.plainWs),
    throughputCpuRow('engine (AES-256-GCM e2e)', results.engine),
    throughputCpuRow('  same, SDK client', results.sdk),
    '',
    `Round trip: ${o.sessions} sessions, ${o.payloadBytes} B every ${o.intervalMs} ms each; ` +
      `${o.rounds} runs of ${o.seconds} s per relay, taking turns`,
    roundTripRow('plain ws relay', plainTrips),
    roundTripRow('engine (encrypted)', engineTrips),
    cpuRow('plain ws relay', plainTrips),
    cpuRow('engine (encrypted)', engineTrips),
    `  engine / plain ws        p50 ${fixed(p50Ratio)}   p99 ${fixed(p99Ratio)}` +
      '   (median of the rounds)',
    '',
    `Memory: ${o.sessions} idle waiting end users (joined, connected, admitted), after GC`,
    ...memoryRows(results.memory, results.plainRelayKiB),
    `  engine rss / plain ws rss ${fixed(rssVsPlain)}`,
    '',
    'Targets',
    target('throughput engine / plain ws', vsWs, '>= 0.8', (vsWs ?? 0) >= 0.8),
    target('round-trip p99 engine / plain ws', p99Ratio, '<= 1.5', (p99Ratio ?? Infinity) <= 1.5),
    target('KiB held per idle waiting end user', held, '< 16', (held ?? Infinity) < 16),
    '',
  ].join('\n');
}
