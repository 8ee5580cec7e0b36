import type { BenchOptions } from './bench-options.js';
import type { EngineApi } from './engine-api.js';
import { endUserSeat, makeJoinedSessions, technicianSeat } from './engine-bench.js';
import type { EngineProcess } from './engine-process.js';
import type { RoundTripJob } from './round-trip-job.js';
import {
  openRoundTrip,
  type RoundTripPair,
  type RoundTripRun,
  type TimedPhaseHook,
} from './round-trip.js';

/** The plain relay to measure against. */
export interface PlainRelay {
  readonly wsUrl: string;
  readonly wsCert: string;
  readonly wsPid: number;
}

/** Every timed round-trip run, in the order they ran, per relay. */
export interface RoundTripRounds {
  readonly plain: readonly RoundTripRun[];
  readonly engine?: readonly RoundTripRun[];
}

const WARM_UP_MS = 3_000;
const SETTLE_SHARE = 0.05;
const SETTLE_LIMIT_MS = 60_000;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * Round trips through the plain relay and the engine, measured alike: both sets of connections
 * are opened first; once both relays are quiet (the engine may still be writing what thousands
 * of admissions left it to do) each gets an untimed warm-up run, then the timed runs take turns,
 * in the order plain-engine, engine-plain, ..., so that a busy moment of the machine (other work
 * runs here too) does not fall on one relay only.
 */
export async function roundTripRounds(
  plainRelay: PlainRelay,
  engine: { process: EngineProcess; api: EngineApi } | undefined,
  options: BenchOptions,
  profile?: TimedPhaseHook,
): Promise<RoundTripRounds> {
  const pairs: RoundTripPair[] = [];
  try {
    const plain = await openPlain(plainRelay, options, pairs);
    const gateway = engine
      ? await openEngine(engine.process, engine.api, options, pairs)
      : undefined;
    log('round trips: waiting for both relays to be quiet, then warming up');
    for (const pair of pairs) await pair.settle(SETTLE_SHARE, SETTLE_LIMIT_MS);
    for (const pair of pairs) await pair.run(WARM_UP_MS);

    const plainRuns: RoundTripRun[] = [];
    const engineRuns: RoundTripRun[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      log(`round trip round ${round} of ${options.rounds}`);
      const runPlain = async () => void plainRuns.push(await plain.run());
      const runEngine = async () =>
        void (
          gateway &&
          engineRuns.push(await gateway.run(undefined, round === 1 ? profile : undefined))
        );
      const [first, second] = round % 2 === 1 ? [runPlain, runEngine] : [runEngine, runPlain];
      await first();
      await second();
    }
    return { plain: plainRuns, engine: gateway ? engineRuns : undefined };
  } finally {
    await Promise.all(pairs.map((pair) => pair.close()));
  }
}

function jobBase(options: BenchOptions, ca: string) {
  return {
    ca,
    intervalMs: options.intervalMs,
    durationMs: options.seconds * 1000,
    payloadBytes: options.payloadBytes,
    connectTimeoutMs: 30_000,
  };
}

/** Admission through the engine signs a certificate per participant: give it time. */
function connectBudgetMs(options: BenchOptions): number {
  return 60_000 + options.sessions * 150;
}

async function openPlain(relay: PlainRelay, options: BenchOptions, pairs: RoundTripPair[]) {
  log(`round trip: connecting ${options.sessions} sessions to the plain relay`);
  const urls = Array.from({ length: options.sessions }, (_, i) => `${relay.wsUrl}/rt/${i}`);
  const base = { ...jobBase(options, relay.wsCert), kind: 'plain' as const, urls };
  const setup = {
    connectTimeoutMs: connectBudgetMs(options),
    relayPid: relay.wsPid,
    profileDir: options.profileDir,
  };
  const pair = await openRoundTrip({ ...base, role: 'echo' }, { ...base, role: 'sender' }, setup);
  pairs.push(pair);
  return pair;
}

async function openEngine(
  engine: EngineProcess,
  api: EngineApi,
  options: BenchOptions,
  pairs: RoundTripPair[],
) {
  log(`round trip: making ${options.sessions} engine sessions and connecting them`);
  const joined = await makeJoinedSessions(api, options.sessions);
  const base = { ...jobBase(options, engine.cert), kind: 'engine' as const };
  const echo: RoundTripJob = { ...base, role: 'echo', seats: joined.map(endUserSeat) };
  const senderSeats = joined.map((pair) => technicianSeat(engine, api, pair));
  const sender: RoundTripJob = { ...base, role: 'sender', seats: senderSeats };
  const pair = await openRoundTrip(echo, sender, {
    connectTimeoutMs: connectBudgetMs(options),
    relayPid: engine.process.child.pid,
    profileDir: options.profileDir,
  });
  pairs.push(pair);
  return pair;
}
