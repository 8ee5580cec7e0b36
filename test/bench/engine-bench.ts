import { openWebSocket, UpgradeRefusedError } from './baseline-pairs.js';
import type { CreatedSession, EngineApi, JoinedSession } from './engine-api.js';
import type { EngineProcess } from './engine-process.js';
import { GatewayParticipant, type GatewayAuth } from './gateway-participant.js';
import { sampleAfterGc, type MemorySample } from './inspector-memory.js';
import { mapLimit, sleep } from './map-limit.js';
import type { EngineSeat } from './round-trip-job.js';
import { connectSessionClient, firstSessionPeer, sessionClientSender } from './sdk-throughput.js';
import type { FrameSender } from './throughput-run.js';

/** A session made through the API and joined by its end user. */
export interface JoinedPair {
  readonly created: CreatedSession;
  readonly joined: JoinedSession;
}

/** Engine memory before and after the idle end users came, and the cost of one. */
export interface MemoryResult {
  readonly endUsers: number;
  readonly before: MemorySample;
  readonly after: MemorySample;
  readonly rssPerEndUserKiB: number;
  readonly heapPerEndUserKiB: number;
  /** What the engine's code holds per end user: JS heap plus external buffers. */
  readonly heldPerEndUserKiB: number;
}

const API_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 24;
const CONNECT_TIMEOUT_MS = 15_000;
const SETTLE_MS = 3_000;

/** Why the engine part cannot run, or undefined when the engine has a gateway and sessions. */
export async function engineMissing(engine: EngineProcess, api: EngineApi) {
  try {
    (await openWebSocket(`${engine.url}/gateway`, engine.cert)).terminate();
  } catch (error) {
    if (error instanceof UpgradeRefusedError && error.status === 404) {
      return 'the engine has no /gateway (HTTP 404 on the upgrade)';
    }
    throw error;
  }
  if (!(await api.hasSessionsApi())) return 'the engine has no /api/v1/sessions';
  return undefined;
}

/** Makes `count` sessions and joins each with its code, a few requests at a time. */
export function makeJoinedSessions(api: EngineApi, count: number): Promise<JoinedPair[]> {
  return mapLimit(Array.from({ length: count }), API_CONCURRENCY, async () => {
    const created = await api.createSession();
    return { created, joined: await api.join(created.joinCode) };
  });
}

/** The gateway seat of a session's end user, as the join answered it. */
export function endUserSeat(pair: JoinedPair): EngineSeat {
  const { joined } = pair;
  const auth: GatewayAuth = {
    sessionId: joined.sessionId,
    credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
    engineKey: joined.engineKey,
  };
  return { gatewayUrl: joined.gatewayUrl, auth };
}

/** The gateway seat of the signed-in technician of a session. */
export function technicianSeat(engine: EngineProcess, api: EngineApi, pair: JoinedPair) {
  const auth: GatewayAuth = {
    sessionId: pair.created.sessionId,
    credentials: { kind: 'technician', token: api.bearer },
  };
  return { gatewayUrl: `${engine.url}/gateway`, auth } satisfies EngineSeat;
}

/**
 * Engine RSS and heap (after garbage collection through the inspector) once `count` sessions
 * were made and joined over the API, and again after their end users connected, were admitted
 * and sat idle waiting for a technician: the difference is what the gateway holds per waiting
 * end user, not what the API calls before left behind. The connections are closed before it
 * resolves.
 */
export async function measureEngineMemory(
  engine: EngineProcess,
  api: EngineApi,
  count: number,
): Promise<MemoryResult> {
  const { inspectorUrl } = engine;
  if (!inspectorUrl) throw new Error('measuring memory needs an engine started with inspect');
  const pairs = await makeJoinedSessions(api, count);
  await sleep(SETTLE_MS);
  const before = await sampleAfterGc(inspectorUrl);
  const endUsers = await mapLimit(pairs, CONNECT_CONCURRENCY, (pair) => {
    const seat = endUserSeat(pair);
    return GatewayParticipant.connect(seat.gatewayUrl, engine.cert, seat.auth, CONNECT_TIMEOUT_MS);
  });
  try {
    await sleep(SETTLE_MS);
    const after = await sampleAfterGc(inspectorUrl);
    const perUser = (bytes: number) => bytes / count / 1024;
    return {
      endUsers: count,
      before,
      after,
      rssPerEndUserKiB: perUser(after.rss - before.rss),
      heapPerEndUserKiB: perUser(after.heapUsed - before.heapUsed),
      heldPerEndUserKiB: perUser(
        after.heapUsed + after.external - (before.heapUsed + before.external),
      ),
    };
  } finally {
    for (const endUser of endUsers) endUser.close();
  }
}

/**
 * A fresh session for one throughput run: the end user's seat (for the receiver process) and
 * a way to connect its technician, who seals DATA records of 64 KiB of plaintext in all.
 */
export async function engineThroughputSession(engine: EngineProcess, api: EngineApi) {
  const [pair] = await makeJoinedSessions(api, 1);
  const seat = endUserSeat(pair!);
  const openSender = async (): Promise<FrameSender> => {
    const techSeat = technicianSeat(engine, api, pair!);
    const tech = await GatewayParticipant.connect(
      techSeat.gatewayUrl,
      engine.cert,
      techSeat.auth,
      CONNECT_TIMEOUT_MS,
      { windowed: true },
    );
    const peer = await tech.firstPeer(CONNECT_TIMEOUT_MS);
    return {
      // The plaintext of a frame is its whole record: a 64 KiB frame carries a 64 KiB record,
      // its header written over the payload's first bytes (the payload is filler).
      send: (payload) => tech.sendRecord(peer, payload),
      buffered: () => tech.bufferedAmount,
      room: (bytes, timeoutMs) => tech.room(peer, bytes, timeoutMs),
      close: () => tech.close(),
    };
  };
  return { seat, openSender };
}

/** Like {@link engineThroughputSession}, with the SDK's session client at both ends. */
export async function sdkThroughputSession(engine: EngineProcess, api: EngineApi) {
  const [pair] = await makeJoinedSessions(api, 1);
  const seat = endUserSeat(pair!);
  const openSender = async (): Promise<FrameSender> => {
    const techSeat = technicianSeat(engine, api, pair!);
    const { engineKey } = pair!.joined;
    const tech = await connectSessionClient(techSeat, engineKey, engine.cert, CONNECT_TIMEOUT_MS);
    return sessionClientSender(tech, await firstSessionPeer(tech, CONNECT_TIMEOUT_MS));
  };
  return { seat, openSender };
}
