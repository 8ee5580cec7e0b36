import { cpus } from 'node:os';
import type { BenchOptions } from './bench-options.js';
import type { MemoryResult } from './engine-bench.js';
import type { RoundTripRun } from './round-trip.js';
import type { ThroughputResult } from './throughput-run.js';

/** Everything one bench run measured; a part that did not run is undefined. */
export interface BenchResults {
  readonly options: BenchOptions;
  readonly tcp: readonly ThroughputResult[];
  readonly plainWs: readonly ThroughputResult[];
  /** The same relay without TLS: a reference row, in no target. */
  readonly clearWs: readonly ThroughputResult[];
  readonly engine?: readonly ThroughputResult[];
  readonly plainRoundTrip?: RoundTripRun;
  readonly engineRoundTrip?: RoundTripRun;
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

function roundTripRow(name: string, run: RoundTripRun | undefined): string {
  if (!run) return `  ${name.padEnd(24)} not measured`;
  const { sender, echo } = run;
  const lost = sender.sent - sender.received;
  const [p50, p99] = [fixed(sender.p50).padStart(7), fixed(sender.p99).padStart(7)];
  return (
    `  ${name.padEnd(24)} p50 ${p50} ms   p99 ${p99} ms   max ${fixed(sender.max, 1)} ms` +
    `   ${sender.received}/${sender.sent} echoed` +
    (lost > 0 ? ` (${lost} missing)` : '') +
    (sender.dropped + echo.dropped > 0 ? `, ${sender.dropped + echo.dropped} frames dropped` : '') +
    (sender.sendFailures + echo.sendFailures > 0
      ? `, ${sender.sendFailures + echo.sendFailures} sends failed`
      : '')
  );
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
  const p99Ratio = ratio(results.engineRoundTrip?.sender.p99, results.plainRoundTrip?.sender.p99);
  const p50Ratio = ratio(results.engineRoundTrip?.sender.p50, results.plainRoundTrip?.sender.p50);
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
    `  engine / plain ws        ${fixed(vsWs)}`,
    `  engine / raw TCP         ${fixed(ratio(engine, tcp))}`,
    `  plain ws / raw TCP       ${fixed(ratio(ws, tcp))}`,
    '',
    `Round trip: ${o.sessions} concurrent sessions, ${o.payloadBytes} B every ${o.intervalMs} ms ` +
      `per session, ${o.seconds} s`,
    roundTripRow('plain ws relay', results.plainRoundTrip),
    roundTripRow('engine (encrypted)', results.engineRoundTrip),
    `  engine / plain ws        p50 ${fixed(p50Ratio)}   p99 ${fixed(p99Ratio)}`,
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
