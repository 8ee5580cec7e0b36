import { expect } from 'chai';
import { queueTopic, sessionControlTopic } from '../../../engine/sessions/session-port.js';
import { auditOf, expectAuditChainWhole, expectError } from '../../support/identity-helpers.js';
import {
  act,
  allow,
  arrive,
  createSession,
  join,
  recordBus,
  startSessionWorld,
  type JoinedBody,
  type SessionWorld,
} from './session-fixtures.js';

describe('session routes', function () {
  this.timeout(60_000);
  let world: SessionWorld;

  before(async () => {
    world = await startSessionWorld();
    await allow(world, world.groupId, 'transfer-sessions');
    await allow(world, world.groupId, 'collaboration');
  });
  after(() => world?.engine.stop());

  it('makes a waiting session: six-digit code, GUID, a join URL without the code', async () => {
    const made = await createSession(world, world.alice, { endUserName: 'Dana' });
    expect(made.id).to.match(/^S[A-Z2-7]{10}$/);
    expect(made.sessionId).to.match(/^[0-9a-f]{32}$/);
    expect(made.joinCode).to.match(/^\d{6}$/);
    expect(made.state).to.equal('waiting');
    expect(made.joinUrl).to.equal(`${world.engine.url}/join`);
    const minutes = (Date.parse(made.joinCodeExpiresAt) - world.clock.nowMs()) / 60_000;
    expect(minutes).to.be.within(19.9, 20.1);
  });

  it('lists sessions without GUID, code or secret; the GUID only to the owner', async () => {
    const made = await createSession(world, world.alice);
    const joined = (await join(world, made.joinCode)).json as JoinedBody;
    for (const who of [world.alice, world.bob, { headers: world.master }]) {
      const list = await world.engine.request('/api/v1/sessions?limit=500', {
        headers: who.headers,
      });
      expect(list.status, list.text).to.equal(200);
      expect(list.text).to.contain(made.id);
      for (const secret of [made.sessionId, made.joinCode, joinedSecret(joined)]) {
        expect(list.text).not.to.contain(secret);
      }
    }
    const own = await world.engine.request(`/api/v1/sessions/${made.id}`, {
      headers: world.alice.headers,
    });
    expect((own.json as { sessionId?: string }).sessionId).to.equal(made.sessionId);
    const mate = await world.engine.request(`/api/v1/sessions/${made.id}`, {
      headers: world.bob.headers,
    });
    expect(mate.status).to.equal(200);
    expect(mate.text).not.to.contain(made.sessionId);
    const stranger = await world.engine.request(`/api/v1/sessions/${made.id}`, {
      headers: world.carol.headers,
    });
    expectError(stranger, 404, 'TETHER_E_NOT_FOUND');
  });

  it('filters the list by state and pages it', async () => {
    await createSession(world, world.bob);
    await createSession(world, world.bob);
    const first = await world.engine.request('/api/v1/sessions?state=waiting&limit=1', {
      headers: world.bob.headers,
    });
    const body = first.json as { items: { state: string }[]; next?: string };
    expect(body.items).to.have.length(1);
    expect(body.next).to.be.a('string');
    const second = await world.engine.request(
      `/api/v1/sessions?state=waiting&limit=1&after=${body.next}`,
      { headers: world.bob.headers },
    );
    const items = (second.json as { items: { id: string; state: string }[] }).items;
    expect(items).to.have.length(1);
    expect(items[0]?.state).to.equal('waiting');
    const closed = await world.engine.request('/api/v1/sessions?state=closed', {
      headers: world.bob.headers,
    });
    for (const item of (closed.json as { items: { state: string }[] }).items) {
      expect(item.state).to.equal('closed');
    }
  });

  it('queues arrivals, tells watchers, and lets one technician pick up', async () => {
    const topic = queueTopic(world.engine.firstStart!.tenantId, world.groupId);
    const bus = await recordBus(world, [topic]);
    try {
      const arrived = await arrive(world, world.groupId, 'Frank');
      expect(arrived.status, arrived.text).to.equal(200);
      const queue = await world.engine.request('/api/v1/queue', { headers: world.bob.headers });
      const items = (queue.json as { items: { id: string; endUserName?: string }[] }).items;
      const entry = items.find((item) => item.endUserName === 'Frank');
      expect(entry, queue.text).to.not.equal(undefined);
      const arrivedBody = arrived.json as JoinedBody;
      expect(queue.text).not.to.contain(arrivedBody.sessionId);
      expect(queue.text).not.to.contain(arrivedBody.secret);
      const elsewhere = await world.engine.request('/api/v1/queue', {
        headers: world.carol.headers,
      });
      expect(elsewhere.text).not.to.contain(entry!.id);

      const outsider = await act(world, world.carol, entry!.id, 'pick-up');
      expectError(outsider, 404, 'TETHER_E_NOT_FOUND');
      const picks = await Promise.all([
        act(world, world.alice, entry!.id, 'pick-up'),
        act(world, world.bob, entry!.id, 'pick-up'),
      ]);
      const statuses = picks.map((pick) => pick.status).sort();
      expect(statuses, picks.map((p) => p.text).join(' ')).to.deep.equal([200, 409]);
      const loser = picks.find((pick) => pick.status === 409)!;
      expectError(loser, 409, 'TETHER_E_SESSION_TAKEN');
      const winner = picks.find((pick) => pick.status === 200)!;
      const won = winner.json as { sessionId: string; state: string };
      expect(won.sessionId).to.equal((arrived.json as JoinedBody).sessionId);
      expect(won.state).to.equal('active');
      await waitForMessages(bus.messages, 2);
      const changes = bus.messages.map((m) => (m.message as { change: string }).change);
      expect(changes).to.deep.equal(['arrived', 'picked-up']);
      const picked = await auditOf(world.engine, 'session.picked-up');
      const record = picked.find((r) => r.target?.id === entry!.id);
      expect(record?.actor.id).to.equal((winner.json as { ownerMemberId: string }).ownerMemberId);
    } finally {
      await bus.dispose();
    }
  });

  it('answers 404 for an arrival in an unknown group', async () => {
    const answer = await arrive(world, '00000000-0000-4000-8000-000000000000');
    expectError(answer, 404, 'TETHER_E_NOT_FOUND');
  });

  it('transfers to a member: the old owner is removed and loses the session', async () => {
    const made = await createSession(world, world.alice);
    const bus = await recordBus(world, [sessionControlTopic(made.sessionId)]);
    try {
      const moved = await act(world, world.alice, made.id, 'transfer', { memberId: world.bob.id });
      expect(moved.status, moved.text).to.equal(200);
      expect((moved.json as { state: string; ownerMemberId: string }).state).to.equal(
        'transferred',
      );
      expect((moved.json as { ownerMemberId: string }).ownerMemberId).to.equal(world.bob.id);
      await waitForMessages(bus.messages, 2);
      expect(bus.messages.map((m) => m.message)).to.deep.equal([
        { t: 'state', state: 'transferred' },
        { t: 'removed', participantId: `t-${world.alice.id}` },
      ]);
      const again = await act(world, world.alice, made.id, 'hold');
      expectError(again, 403, 'TETHER_E_FORBIDDEN');
      const records = await auditOf(world.engine, 'session.transferred');
      expect(records.at(-1)?.target?.id).to.equal(made.id);
      expect(JSON.stringify(records)).not.to.contain(made.sessionId);
    } finally {
      await bus.dispose();
    }
  });

  it('transfers to a group: the session waits in that queue without an owner', async () => {
    const made = await createSession(world, world.alice);
    const topic = queueTopic(world.engine.firstStart!.tenantId, world.otherGroupId);
    const bus = await recordBus(world, [topic]);
    try {
      const moved = await act(world, world.alice, made.id, 'transfer', {
        groupId: world.otherGroupId,
      });
      expect(moved.status, moved.text).to.equal(200);
      expect(moved.json).to.not.have.property('ownerMemberId');
      const queue = await world.engine.request('/api/v1/queue', { headers: world.carol.headers });
      expect(queue.text).to.contain(made.id);
      await waitForMessages(bus.messages, 1);
      expect((bus.messages[0]?.message as { change: string }).change).to.equal('arrived');
      const picked = await act(world, world.carol, made.id, 'pick-up');
      expect(picked.status, picked.text).to.equal(200);
    } finally {
      await bus.dispose();
    }
  });

  it('refuses a transfer without the transfer permission and by anyone but the owner', async () => {
    const made = await createSession(world, world.carol);
    const denied = await act(world, world.carol, made.id, 'transfer', { memberId: world.bob.id });
    expectError(denied, 403, 'TETHER_E_FORBIDDEN');
    const mine = await createSession(world, world.alice);
    const byMate = await act(world, world.bob, mine.id, 'transfer', { memberId: world.bob.id });
    expectError(byMate, 403, 'TETHER_E_FORBIDDEN');
  });

  it('refuses a hold while waiting, ends once, and audits the end with its reason', async () => {
    const made = await createSession(world, world.alice);
    const hold = await act(world, world.alice, made.id, 'hold');
    expectError(hold, 409, 'TETHER_E_SESSION_STATE');
    const ended = await act(world, world.alice, made.id, 'end', { reason: 'done' });
    expect(ended.status, ended.text).to.equal(200);
    expect(ended.json).to.include({ state: 'closed', closeReason: 'ended-by-technician' });
    const again = await act(world, world.alice, made.id, 'end');
    expectError(again, 409, 'TETHER_E_SESSION_STATE');
    const records = await auditOf(world.engine, 'session.ended');
    const record = records.find((r) => r.target?.id === made.id);
    expect(record?.details).to.deep.equal({ reason: 'ended-by-technician', note: 'done' });
  });

  it('lets an administrator end any session of the tenant, but not a technician', async () => {
    const made = await createSession(world, world.alice);
    const byMate = await act(world, world.bob, made.id, 'end');
    expectError(byMate, 403, 'TETHER_E_FORBIDDEN');
    const byMaster = await act(world, { headers: world.master }, made.id, 'end');
    expect(byMaster.status, byMaster.text).to.equal(200);
    expect(byMaster.json).to.include({ closeReason: 'ended-by-administrator' });
  });

  it('invites a collaborator, who then sees the GUID; only the owner invites', async () => {
    const made = await createSession(world, world.alice);
    const byMate = await act(world, world.bob, made.id, 'collaborators', {
      memberId: world.bob.id,
    });
    expectError(byMate, 403, 'TETHER_E_FORBIDDEN');
    const invited = await act(world, world.alice, made.id, 'collaborators', {
      memberId: world.carol.id,
    });
    expect(invited.status, invited.text).to.equal(200);
    const seen = await world.engine.request(`/api/v1/sessions/${made.id}`, {
      headers: world.carol.headers,
    });
    expect((seen.json as { sessionId?: string }).sessionId).to.equal(made.sessionId);
    const audit = await auditOf(world.engine, 'session.collaborator-invited');
    expect(audit.at(-1)?.details).to.deep.equal({ memberId: world.carol.id });
  });

  it('writes a whole audit chain with the session events and never a code or GUID', async () => {
    const made = await createSession(world, world.alice);
    await join(world, made.joinCode);
    const records = await auditOf(world.engine, 'session.created', 'session.ended');
    const text = JSON.stringify(records);
    expect(text).to.contain(made.id);
    expect(text).not.to.contain(made.sessionId);
    expect(text).not.to.contain(`"${made.joinCode}"`);
    await expectAuditChainWhole(world.engine);
  });
});

function joinedSecret(joined: JoinedBody): string {
  return joined.secret;
}

async function waitForMessages(messages: readonly unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (messages.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
