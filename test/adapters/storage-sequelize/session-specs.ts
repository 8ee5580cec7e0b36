import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { connectDatabase } from '../../../adapters/storage-sequelize/connect-database.js';
import { defineModels } from '../../../adapters/storage-sequelize/storage-models.js';
import { expectRejects, silentLogger, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ref = () =>
  `S${hex(5)
    .toUpperCase()
    .replace(/[0189]/g, 'A')}`.slice(0, 11);
const codeHash = () => createHash('sha256').update(hex(8)).digest('hex');

/** Support sessions and their participants, the state writes that must be atomic, the locator. */
export function sessionSpecs(context: SuiteContext): void {
  describe('support sessions', () => {
    let tenantId: TenantId;
    let otherTenantId: TenantId;
    const repo = () => context.storage.forTenant(tenantId).sessions;
    const make = (extra: Record<string, unknown> = {}) =>
      repo().create({ ref: ref(), guid: hex(16), createdAt: new Date(), ...extra });

    before(async () => {
      tenantId = (await context.storage.tenants.create(uniqueName('sessions'))).id;
      otherTenantId = (await context.storage.tenants.create(uniqueName('sessions-b'))).id;
    });

    it('stores a waiting session and finds it by ref in its tenant only', async () => {
      const made = await make({ endUserName: 'Dana', groupId: randomUUID() });
      expect(made).to.include({ state: 'waiting', relayedBytes: 0, hasLiveCode: false });
      expect(await repo().findByRef(made.ref)).to.deep.equal(made);
      const other = context.storage.forTenant(otherTenantId).sessions;
      expect(await other.findByRef(made.ref)).to.equal(undefined);
      const changed = await other.changeState(made.ref, {
        expected: { states: ['waiting'] },
        patch: { state: 'closed', updatedAt: new Date() },
      });
      expect(changed).to.equal(false);
      expect((await repo().findByRef(made.ref))?.state).to.equal('waiting');
    });

    it('refuses a second session with the same GUID or live code, in any tenant', async () => {
      const made = await make({ joinCodeHash: codeHash() });
      const other = context.storage.forTenant(otherTenantId).sessions;
      await expectRejects(
        () => other.create({ ref: ref(), guid: made.guid, createdAt: new Date() }),
        'TETHER_E_CONFLICT',
      );
      const hash = codeHash();
      await make({ joinCodeHash: hash });
      await expectRejects(
        () =>
          other.create({ ref: ref(), guid: hex(16), joinCodeHash: hash, createdAt: new Date() }),
        'TETHER_E_CONFLICT',
      );
    });

    it('uses a code up for exactly one of several callers, and not once expired', async () => {
      const hash = codeHash();
      const expiresAt = new Date(Date.now() + 60_000);
      const made = await make({ joinCodeHash: hash, joinCodeExpiresAt: expiresAt });
      const where = await context.storage.sessionLocator.byJoinCodeHash(hash);
      expect(where).to.deep.equal({ tenantId, ref: made.ref });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => repo().useJoinCode(made.ref, hash, new Date())),
      );
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await context.storage.sessionLocator.byJoinCodeHash(hash)).to.equal(undefined);
      const late = codeHash();
      const old = await make({ joinCodeHash: late, joinCodeExpiresAt: new Date(Date.now() - 1) });
      expect(await repo().useJoinCode(old.ref, late, new Date())).to.equal(false);
      const other = context.storage.forTenant(otherTenantId).sessions;
      const fresh = codeHash();
      const mine = await make({ joinCodeHash: fresh, joinCodeExpiresAt: expiresAt });
      expect(await other.useJoinCode(mine.ref, fresh, new Date())).to.equal(false);
    });

    it('lets exactly one of two simultaneous pick-ups of the same reading win', async () => {
      const made = await make({ groupId: randomUUID() });
      const pick = (memberId: string) =>
        repo().changeState(made.ref, {
          expected: { states: ['waiting', 'transferred'], ownerMemberId: null },
          patch: { state: 'active', ownerMemberId: memberId, updatedAt: new Date() },
        });
      const [a, b] = [randomUUID(), randomUUID()];
      const results = await Promise.all([pick(a), pick(b)]);
      expect(results.filter(Boolean)).to.have.length(1);
      const owner = (await repo().findByRef(made.ref))?.ownerMemberId;
      expect(owner).to.equal(results[0] ? a : b);
    });

    it('reveals only tenant and ref through the locator', async () => {
      const groupId = (await context.storage.forTenant(tenantId).groups.create({ name: 'q' })).id;
      const seen = new Date(Date.now() - 3_600_000);
      const gone = await make({ endUserLastSeenAt: seen, groupId });
      const located = await context.storage.sessionLocator.byGuid(gone.guid);
      expect(located).to.deep.equal({ tenantId, ref: gone.ref });
      expect(Object.keys(located ?? {}).sort()).to.deep.equal(['ref', 'tenantId']);
      const overdue = await context.storage.sessionLocator.endUserGoneBefore(new Date(), 500);
      expect(overdue).to.deep.include({ tenantId, ref: gone.ref });
      for (const row of overdue) expect(Object.keys(row).sort()).to.deep.equal(['ref', 'tenantId']);
      expect(await context.storage.sessionLocator.tenantOfGroup(groupId)).to.equal(tenantId);
      expect(await context.storage.sessionLocator.tenantOfGroup(randomUUID())).to.equal(undefined);
      expect(await context.storage.sessionLocator.byGuid("' OR 1=1 --")).to.equal(undefined);
    });

    it('marks many end users seen in one call, and only those of its tenant', async () => {
      const long = new Date(Date.now() - 3_600_000);
      const made = await Promise.all([1, 2, 3].map(() => make({ endUserLastSeenAt: long })));
      const other = await context.storage.tenants.create(`other ${randomUUID()}`);
      const now = new Date();
      const refs = [made[0]!.ref, made[1]!.ref];
      await context.storage.forTenant(other.id).sessions.markEndUsersSeen(refs, now);
      expect((await repo().findByRef(made[0]!.ref))?.endUserLastSeenAt).to.deep.equal(long);
      await repo().markEndUsersSeen(refs, now);
      const seenAt = async (i: number) => (await repo().findByRef(made[i]!.ref))?.endUserLastSeenAt;
      expect(await seenAt(0)).to.deep.equal(now);
      expect(await seenAt(1)).to.deep.equal(now);
      expect(await seenAt(2)).to.deep.equal(long);
      await repo().markEndUsersSeen([], now);
    });

    it('lists only what the filter lets a member see, and the queue without owners', async () => {
      const member = randomUUID();
      const group = randomUUID();
      const own = await make({ ownerMemberId: member });
      const grouped = await make({ groupId: group });
      const foreign = await make({ groupId: randomUUID() });
      const seated = await make({ ownerMemberId: randomUUID() });
      await repo().putParticipant({
        id: `t-${member}`,
        sessionRef: seated.ref,
        role: 'technician',
        kind: 'collaborator',
        memberId: member,
      });
      const page = await repo().list({ memberId: member, groupIds: [group] }, { limit: 500 });
      const refs = page.items.map((s) => s.ref);
      expect(refs).to.include.members([own.ref, grouped.ref, seated.ref]);
      expect(refs).not.to.include(foreign.ref);
      const queue = await repo().queue([group]);
      expect(queue.map((s) => s.ref)).to.deep.equal([grouped.ref]);
    });

    it('keeps participants: joined once, left once, back when seated again', async () => {
      const made = await make();
      const seat = { sessionRef: made.ref, role: 'technician' as const, memberId: randomUUID() };
      await repo().putParticipant({ ...seat, id: `t-${seat.memberId}`, kind: 'owner' });
      const id = `t-${seat.memberId}`;
      expect(await repo().markJoined(made.ref, id, new Date())).to.equal(true);
      expect(await repo().markJoined(made.ref, id, new Date())).to.equal(false);
      expect(await repo().markLeft(made.ref, id, new Date())).to.equal(true);
      expect(await repo().markLeft(made.ref, id, new Date())).to.equal(false);
      await repo().putParticipant({ ...seat, id, kind: 'collaborator' });
      const back = await repo().findParticipant(made.ref, id);
      expect(back).to.include({ kind: 'collaborator' });
      expect(back?.leftAt).to.equal(undefined);
      const other = context.storage.forTenant(otherTenantId).sessions;
      expect(await other.findParticipant(made.ref, id)).to.equal(undefined);
      expect(await other.participants(made.ref)).to.deep.equal([]);
    });

    it("numbers a participant's connections, each simultaneous one once", async () => {
      const made = await make();
      const id = `u-${hex(8)}`;
      await repo().putParticipant({ sessionRef: made.ref, id, role: 'end-user', kind: 'end-user' });
      expect(await repo().countConnection(made.ref, id)).to.equal(1);
      const together = await Promise.all(
        Array.from({ length: 8 }, () => repo().countConnection(made.ref, id)),
      );
      expect(together.sort((a, b) => a! - b!)).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9]);
      await repo().putParticipant({ sessionRef: made.ref, id, role: 'end-user', kind: 'end-user' });
      expect(await repo().countConnection(made.ref, id), 'seated again').to.equal(10);
      const other = context.storage.forTenant(otherTenantId).sessions;
      expect(await other.countConnection(made.ref, id), 'another tenant').to.equal(undefined);
      expect(await repo().countConnection(made.ref, 'u-unknown')).to.equal(undefined);
      expect(await repo().countConnection("x' OR 1=1 --", id)).to.equal(undefined);
      expect(await repo().countConnection(made.ref, id)).to.equal(11);
    });

    it('adds the relayed bytes of many sessions at once, in its tenant only', async () => {
      const made = await Promise.all(Array.from({ length: 205 }, () => make()));
      const counts = new Map(made.map((session, i) => [session.ref, i + 1]));
      counts.set("x' OR 1=1 --", 99);
      await context.storage.forTenant(otherTenantId).sessions.addRelayedBytesMany(counts);
      expect((await repo().findByRef(made[0]!.ref))?.relayedBytes).to.equal(0);
      await repo().addRelayedBytesMany(counts);
      await repo().addRelayedBytesMany(new Map([[made[204]!.ref, 2 ** 40]]));
      const bytes = async (i: number) => (await repo().findByRef(made[i]!.ref))?.relayedBytes;
      expect(await bytes(0)).to.equal(1);
      expect(await bytes(199)).to.equal(200);
      expect(await bytes(204)).to.equal(205 + 2 ** 40);
      await repo().addRelayedBytesMany(new Map());
    });

    it('records consent until the session closes, and adds relayed bytes', async () => {
      const made = await make();
      expect(await repo().recordConsent(made.ref, 'remote-control', 'granted')).to.equal(true);
      await repo().addRelayedBytes(made.ref, 5);
      await repo().addRelayedBytes(made.ref, 7);
      const read = await repo().findByRef(made.ref);
      expect(read?.consent).to.deep.equal({ 'remote-control': 'granted' });
      expect(read?.relayedBytes).to.equal(12);
      await repo().changeState(made.ref, {
        expected: { states: ['waiting'] },
        patch: { state: 'closed', consent: { 'remote-control': 'revoked' }, updatedAt: new Date() },
      });
      expect(await repo().recordConsent(made.ref, 'remote-control', 'granted')).to.equal(false);
      expect((await repo().findByRef(made.ref))?.consent).to.deep.equal({
        'remote-control': 'revoked',
      });
    });

    it('keeps the tenant guard on the session models', async () => {
      const connection = connectDatabase(context.target, silentLogger);
      try {
        const models = defineModels(connection);
        await expectRejects(
          () => models.supportSessions.findAll({ where: {} }),
          'TETHER_E_TENANT_REQUIRED',
        );
        await expectRejects(
          () => models.sessionParticipants.update({ kind: 'owner' }, { where: {} }),
          'TETHER_E_TENANT_REQUIRED',
        );
        await expectRejects(
          () => models.supportSessions.count({ where: { state: 'waiting' } }),
          'TETHER_E_TENANT_REQUIRED',
        );
      } finally {
        await connection.close();
      }
    });
  });
}
