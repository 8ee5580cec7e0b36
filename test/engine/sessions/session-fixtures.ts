import { expect } from 'chai';
import { Bus } from '../../../engine/contracts/bus-contract.js';
import type { Disposable } from '../../../engine/contracts/disposable.js';
import { Storage } from '../../../engine/contracts/storage-contract.js';
import type { TestResponse } from '../../../sdk/testing/https-request.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  addGroup,
  signedInMember,
  tenantScope,
  type SignedInMember,
} from '../../support/identity-helpers.js';
import { TestClock } from '../../support/test-clock.js';

/** What `POST /api/v1/sessions` answers. */
export interface CreatedBody {
  readonly id: string;
  readonly sessionId: string;
  readonly joinCode: string;
  readonly joinCodeExpiresAt: string;
  readonly joinUrl: string;
  readonly state: string;
}

/** What a join or an arrival answers. */
export type { JoinedSession as JoinedBody } from '../../../sdk/session/joined-session.js';

/** An engine with a test clock, a group of two technicians and an administrator. */
export interface SessionWorld {
  readonly engine: TestEngine;
  readonly clock: TestClock;
  readonly groupId: string;
  readonly otherGroupId: string;
  readonly master: Record<string, string>;
  readonly alice: SignedInMember;
  readonly bob: SignedInMember;
  /** A technician of the other group. */
  readonly carol: SignedInMember;
}

/** Starts an engine for session tests; `settings` as startTestEngine takes them. */
export async function startSessionWorld(
  settings: Readonly<Record<string, unknown>> = {},
): Promise<SessionWorld> {
  const clock = new TestClock();
  const engine = await startTestEngine({ configure: clock.install, settings });
  try {
    const master = await engine.signInFirstAdmin();
    const groupId = await addGroup(engine, 'Helpdesk');
    const otherGroupId = await addGroup(engine, 'Field');
    const alice = await signedInMember(engine, 'alice@a.test', 'technician', { groupId });
    const bob = await signedInMember(engine, 'bob@a.test', 'technician', { groupId });
    const carol = await signedInMember(engine, 'carol@a.test', 'technician', {
      groupId: otherGroupId,
    });
    return { engine, clock, groupId, otherGroupId, master, alice, bob, carol };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

/** Lets a group's members use `permission`. */
export async function allow(world: SessionWorld, groupId: string, permission: string) {
  await tenantScope(world.engine).groups.setPermission(groupId, permission, {
    allowed: true,
    locked: false,
  });
}

/** Makes a session as `who` and expects it to work. */
export async function createSession(
  world: SessionWorld,
  who: SignedInMember,
  body: Record<string, unknown> = {},
): Promise<CreatedBody> {
  const answer = await world.engine.request('/api/v1/sessions', {
    method: 'POST',
    headers: who.headers,
    body,
  });
  expect(answer.status, answer.text).to.equal(201);
  return answer.json as CreatedBody;
}

/** Joins with a code, as an end user. */
export function join(world: SessionWorld, code: string, name?: string): Promise<TestResponse> {
  return world.engine.request('/api/v1/sessions/join', {
    method: 'POST',
    body: name ? { code, name } : { code },
  });
}

/** Arrives unasked in a group's queue. */
export function arrive(world: SessionWorld, groupId: string, name = 'Erin'): Promise<TestResponse> {
  return world.engine.request(`/api/v1/queues/${groupId}/arrivals`, {
    method: 'POST',
    body: { name },
  });
}

/** Calls `POST /api/v1/sessions/<ref>/<action>`. */
export function act(
  world: SessionWorld,
  who: { readonly headers: Record<string, string> },
  ref: string,
  action: string,
  body?: unknown,
): Promise<TestResponse> {
  return world.engine.request(`/api/v1/sessions/${ref}/${action}`, {
    method: 'POST',
    headers: who.headers,
    body: body ?? {},
  });
}

/** The ref of the session with this GUID, read from storage. */
export async function refOf(world: SessionWorld, guid: string): Promise<string> {
  const storage = world.engine.engine.root.get<Storage>(Storage);
  const where = await storage.sessionLocator.byGuid(guid);
  if (!where) throw new Error('no such session');
  return where.ref;
}

/** Collects what is published on bus topics, until disposed. */
export async function recordBus(
  world: SessionWorld,
  topics: readonly string[],
): Promise<{ readonly messages: { topic: string; message: unknown }[] } & Disposable> {
  const bus = world.engine.engine.root.get<Bus>(Bus);
  const messages: { topic: string; message: unknown }[] = [];
  const subscriptions = await Promise.all(
    topics.map((topic) =>
      bus.subscribe(topic, (message) => void messages.push({ topic, message })),
    ),
  );
  return {
    messages,
    dispose: async () => {
      for (const subscription of subscriptions) await subscription.dispose();
    },
  };
}

/** A six-digit code that is not `code`. */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}
