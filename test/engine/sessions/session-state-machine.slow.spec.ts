import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Bus } from '../../../engine/contracts/bus-contract.js';
import { Clock } from '../../../engine/contracts/clock-contract.js';
import type { SupportSessionState } from '../../../engine/contracts/sessions-contract.js';
import {
  Storage,
  type SupportSessionRecord,
  type TenantId,
} from '../../../engine/contracts/storage-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import { createLogger } from '../../../engine/logging/create-logger.js';
import { SessionEvents } from '../../../engine/sessions/session-events.js';
import { sessionControlTopic } from '../../../engine/sessions/session-port.js';
import { newSessionGuid, newSessionRef } from '../../../engine/sessions/session-secrets.js';
import {
  SessionStateMachine,
  TRANSITIONS,
  type SessionCommand,
} from '../../../engine/sessions/session-state-machine.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';

const STATES: readonly SupportSessionState[] = [
  'waiting',
  'active',
  'on-hold',
  'transferred',
  'closed',
];
const OWNER = randomUUID();
const OTHER = randomUUID();
const GROUP = randomUUID();

/** Every command, with the owner it needs to be possible at all. */
const COMMANDS: readonly { command: SessionCommand; owned: boolean }[] = [
  { command: { kind: 'connect' }, owned: true },
  { command: { kind: 'pick-up', memberId: OTHER }, owned: false },
  { command: { kind: 'hold' }, owned: true },
  { command: { kind: 'resume' }, owned: true },
  { command: { kind: 'transfer-to-member', memberId: OTHER }, owned: true },
  { command: { kind: 'transfer-to-group', groupId: GROUP }, owned: true },
  { command: { kind: 'close', reason: 'ended-by-technician' }, owned: true },
];

const EXPECTED_LEGAL: Readonly<Record<SessionCommand['kind'], readonly SupportSessionState[]>> = {
  connect: ['waiting', 'transferred'],
  'pick-up': ['waiting', 'transferred'],
  hold: ['active'],
  resume: ['on-hold'],
  'transfer-to-member': ['waiting', 'active', 'on-hold'],
  'transfer-to-group': ['waiting', 'active', 'on-hold'],
  close: ['waiting', 'active', 'on-hold', 'transferred'],
};

describe('SessionStateMachine', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let machine: SessionStateMachine;
  let tenantId: TenantId;
  const published: { topic: string; message: unknown }[] = [];

  const storage = () => engine.engine.root.get<Storage>(Storage);

  /** A session put straight into `state` in storage (no machine involved). */
  async function sessionIn(state: SupportSessionState, owned: boolean) {
    const repo = storage().forTenant(tenantId).sessions;
    const made = await repo.create({
      ref: newSessionRef(),
      guid: newSessionGuid(),
      groupId: GROUP,
      ...(owned ? { ownerMemberId: OWNER } : {}),
      createdAt: new Date(),
    });
    if (state !== 'waiting') {
      const changed = await repo.changeState(made.ref, {
        expected: { states: ['waiting'] },
        patch: { state, updatedAt: new Date() },
      });
      expect(changed).to.equal(true);
    }
    return (await repo.findByRef(made.ref)) as SupportSessionRecord;
  }

  before(async () => {
    engine = await startTestEngine();
    tenantId = engine.firstStart!.tenantId;
    const bus = engine.engine.root.get<Bus>(Bus);
    machine = new SessionStateMachine({
      storage: storage(),
      bus: {
        publish: async (topic, message) => {
          published.push({ topic, message });
          await bus.publish(topic, message);
        },
        subscribe: (topic, handler) => bus.subscribe(topic, handler),
      },
      clock: engine.engine.root.get<Clock>(Clock),
      events: new SessionEvents(createLogger({ level: 'silent', format: 'json' })),
      logger: createLogger({ level: 'silent', format: 'json' }),
    });
  });
  after(() => engine?.stop());

  it('has exactly the documented transition table', () => {
    for (const { command } of COMMANDS) {
      expect([...TRANSITIONS[command.kind].from].sort(), command.kind).to.deep.equal(
        [...EXPECTED_LEGAL[command.kind]].sort(),
      );
    }
  });

  for (const { command, owned } of COMMANDS) {
    for (const state of STATES) {
      const legal = EXPECTED_LEGAL[command.kind].includes(state);
      it(`${legal ? 'moves' : 'refuses'} ${command.kind} from ${state}`, async () => {
        const session = await sessionIn(state, owned);
        published.length = 0;
        if (!legal) {
          const error = await machine.transition(tenantId, session, command).then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
          expect(isTetherError(error) && error.code).to.equal('TETHER_E_SESSION_STATE');
          const after = await storage().forTenant(tenantId).sessions.findByRef(session.ref);
          expect(after?.state).to.equal(state);
          expect(published).to.deep.equal([]);
          return;
        }
        const after = await machine.transition(tenantId, session, command);
        expect(after.state).to.equal(TRANSITIONS[command.kind].to);
        expect(published[0]).to.deep.equal({
          topic: sessionControlTopic(session.guid),
          message:
            command.kind === 'close'
              ? { t: 'state', state: 'closed', reason: 'ended-by-technician' }
              : { t: 'state', state: after.state },
        });
      });
    }
  }

  it('refuses connect while nobody owns the session', async () => {
    const session = await sessionIn('waiting', false);
    const error = await machine.transition(tenantId, session, { kind: 'connect' }).catch((e) => e);
    expect(isTetherError(error) && error.code).to.equal('TETHER_E_SESSION_STATE');
  });

  it('answers TETHER_E_SESSION_TAKEN to a pick-up of an owned session', async () => {
    const session = await sessionIn('waiting', true);
    const error = await machine
      .transition(tenantId, session, { kind: 'pick-up', memberId: OTHER })
      .catch((e) => e);
    expect(isTetherError(error) && error.code).to.equal('TETHER_E_SESSION_TAKEN');
  });

  it('lets only one of two moves made from the same reading win', async () => {
    const session = await sessionIn('active', true);
    const results = await Promise.allSettled([
      machine.transition(tenantId, session, { kind: 'hold' }),
      machine.transition(tenantId, session, { kind: 'transfer-to-group', groupId: GROUP }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isTetherError(lost.reason) && lost.reason.code).to.equal('TETHER_E_SESSION_STATE');
  });

  it('ends the session even from a reading another move made stale', async () => {
    const session = await sessionIn('active', true);
    await machine.transition(tenantId, session, { kind: 'hold' });
    const closed = await machine.transition(tenantId, session, {
      kind: 'close',
      reason: 'ended-by-end-user',
    });
    expect(closed).to.deep.include({ state: 'closed', closeReason: 'ended-by-end-user' });
    const after = await storage().forTenant(tenantId).sessions.findByRef(session.ref);
    expect(after?.state).to.equal('closed');
  });

  it('refuses a move from a stale reading', async () => {
    const session = await sessionIn('active', true);
    await machine.transition(tenantId, session, { kind: 'hold' });
    const error = await machine
      .transition(tenantId, session, { kind: 'transfer-to-group', groupId: GROUP })
      .catch((e) => e);
    expect(isTetherError(error) && error.code).to.equal('TETHER_E_SESSION_STATE');
  });

  it('transfers to a group without an owner, and to a member with the new owner', async () => {
    const toGroup = await machine.transition(tenantId, await sessionIn('active', true), {
      kind: 'transfer-to-group',
      groupId: GROUP,
    });
    expect(toGroup.ownerMemberId).to.equal(undefined);
    expect(toGroup.groupId).to.equal(GROUP);
    const toMember = await machine.transition(tenantId, await sessionIn('on-hold', true), {
      kind: 'transfer-to-member',
      memberId: OTHER,
    });
    expect(toMember.ownerMemberId).to.equal(OTHER);
  });
});
