import { expect } from 'chai';
import type {
  AuditEvent,
  AuditQuery,
  AuditRecord,
} from '../../../engine/contracts/audit-log-contract.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { GENESIS_HASH } from '../../../engine/audit/audit-chain.js';
import { auditServices, countedEvent, oneTo, pause } from './audit-fixtures.js';
import { expectRejects, openStorage, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const seqs = (records: readonly AuditRecord[]) => records.map((record) => record.seq);

/** Events with every field the contract has, so that a round trip covers them all. */
function richEvent(tenantId: TenantId, n: number): AuditEvent {
  const kinds = ['member', 'api-key', 'system', 'anonymous'] as const;
  const kind = kinds[n % kinds.length]!;
  return {
    tenantId,
    action: `test.rich.${n % 3}`,
    actor:
      kind === 'member' || kind === 'api-key'
        ? { kind, id: `actor-${n % 2}`, label: `Actor ${n} – ü` }
        : kind === 'anonymous'
          ? { kind, label: `typed-${n}@example.com` }
          : { kind },
    ...(n % 2 === 0 ? { target: { kind: 'member', id: `target-${n}` } } : {}),
    ...(n % 5 !== 0 ? { nodeId: `node-${n % 3}`, ip: `198.51.100.${n}` } : {}),
    ...(n % 3 === 0 ? { before: { role: 'technician', groups: [] } } : {}),
    ...(n % 3 === 0 ? { after: { role: 'administrator', groups: ['a', 'b'] } } : {}),
    details: { n, nested: { list: [1, 'two', null, false], empty: {} }, text: '"\\\n' },
  };
}

export function auditSpecs(context: SuiteContext): void {
  const services = auditServices();
  const newTenant = async (label: string): Promise<TenantId> =>
    (await context.storage.tenants.create(uniqueName(label))).id;
  const repositoryOf = (tenantId: TenantId) => context.storage.forTenant(tenantId).audit;
  const allOf = (tenantId: TenantId) => repositoryOf(tenantId).list({ limit: 1000 });

  describe('audit records through AuditService', () => {
    it('appends 30 records numbered 1 to 30, each chained to the one before', async () => {
      const tenantId = await newTenant('audit-30');
      const audit = services.on(context.storage);
      const appended: AuditRecord[] = [];
      for (const n of oneTo(30)) appended.push(await audit.append(richEvent(tenantId, n)));
      expect(seqs(appended)).to.deep.equal(oneTo(30));
      appended.forEach((record, index) => {
        expect(record.prevHash, `prevHash of ${record.seq}`).to.equal(
          index === 0 ? GENESIS_HASH : appended[index - 1]!.hash,
        );
      });
      expect(await allOf(tenantId)).to.deep.equal(appended);
      expect(await repositoryOf(tenantId).head()).to.deep.equal({
        seq: 30,
        hash: appended[29]!.hash,
      });
      expect(await audit.verify(tenantId)).to.deep.equal({ tenantId, checked: 30 });
    });

    it('keeps a chain per tenant: each starts at 1 and lists only its own', async () => {
      const a = await newTenant('audit-own-a');
      const b = await newTenant('audit-own-b');
      const audit = services.on(context.storage);
      for (const n of oneTo(3)) await audit.append(countedEvent(a, n));
      const first = await audit.append(countedEvent(b, 1));
      expect(first).to.include({ seq: 1, prevHash: GENESIS_HASH, tenantId: b });
      expect(seqs(await allOf(a))).to.deep.equal([1, 2, 3]);
      expect((await allOf(a)).every((record) => record.tenantId === a)).to.equal(true);
      expect(seqs(await allOf(b))).to.deep.equal([1]);
      expect(await repositoryOf(await newTenant('audit-own-c')).head()).to.equal(undefined);
      expect(await audit.verify(a)).to.deep.equal({ tenantId: a, checked: 3 });
      expect(await audit.verify(b)).to.deep.equal({ tenantId: b, checked: 1 });
    });

    // Every connection to sqlite::memory: is a database of its own: there is no second node.
    const shared = context.fixture.label !== 'SQLite (sqlite::memory:)';
    if (shared) {
      it('numbers 20 appends from two nodes at once 1 to 20, each once', async () => {
        const second = openStorage(context.fixture, context.target).storage;
        try {
          const tenantId = await newTenant('audit-two-nodes');
          const nodes = [services.on(context.storage), services.on(second)];
          // Settled, not all: a failure must not leave appends running into the next spec.
          const settled = await Promise.allSettled(
            oneTo(20).map((n) => nodes[n % 2]!.append(countedEvent(tenantId, n))),
          );
          const failed = settled.find((result) => result.status === 'rejected');
          if (failed) throw failed.reason;
          const appended = settled.map(
            (result) => (result as PromiseFulfilledResult<AuditRecord>).value,
          );
          expect(seqs(appended).sort((x, y) => x - y)).to.deep.equal(oneTo(20));
          const stored = await allOf(tenantId);
          expect(seqs(stored)).to.deep.equal(oneTo(20));
          const numbers = stored.map((record) => (record.details as { n: number }).n);
          expect(numbers.sort((x, y) => x - y)).to.deep.equal(oneTo(20));
          expect(await nodes[0]!.verify(tenantId)).to.deep.equal({ tenantId, checked: 20 });
          expect(await nodes[1]!.verify(tenantId)).to.deep.equal({ tenantId, checked: 20 });
        } finally {
          await second.close();
        }
      });
    }

    it('lists by action, actor, node, time and seq, oldest first', async () => {
      const tenantId = await newTenant('audit-list');
      const audit = services.on(context.storage);
      const actions = ['auth.sign-in.succeeded', 'auth.sign-in.failed', 'group.changed'];
      for (const n of oneTo(12)) {
        const node = n % 4 === 0 ? {} : { nodeId: `node-${n % 4}` };
        const actor = { kind: 'member', id: n % 2 === 0 ? 'member-even' : 'member-odd' } as const;
        await audit.append(countedEvent(tenantId, n, { action: actions[n % 3]!, actor, ...node }));
        await pause(3); // so that each record has a time of its own
      }
      const all = await allOf(tenantId);
      const listed = (query: AuditQuery) => audit.list(tenantId, query).then(seqs);
      const where = (keep: (record: AuditRecord) => boolean) => seqs(all.filter(keep));

      expect(await listed({ actions: ['auth.sign-in.failed'] })).to.deep.equal([1, 4, 7, 10]);
      expect(await listed({ actions: ['auth.sign-in.failed', 'group.changed'] })).to.deep.equal(
        where((record) => record.seq % 3 !== 0),
      );
      expect(await listed({ actorId: 'member-even' })).to.deep.equal([2, 4, 6, 8, 10, 12]);
      expect(await listed({ nodeIds: ['node-1', 'node-3'] })).to.deep.equal([1, 3, 5, 7, 9, 11]);
      expect(await listed({ nodeIds: ['node-2'], actorId: 'member-even' })).to.deep.equal([
        2, 6, 10,
      ]);
      const [fourth, eighth] = [all[3]!, all[7]!];
      expect(await listed({ from: fourth.at, to: eighth.at })).to.deep.equal([4, 5, 6, 7, 8]);
      expect(await listed({ from: eighth.at })).to.deep.equal([8, 9, 10, 11, 12]);
      expect(await listed({ to: fourth.at })).to.deep.equal([1, 2, 3, 4]);
      const afterAll = new Date(all[11]!.at.getTime() + 1);
      expect(await listed({ from: afterAll })).to.deep.equal([]);
      expect(await listed({ afterSeq: 3, limit: 4 })).to.deep.equal([4, 5, 6, 7]);
      expect(await listed({ afterSeq: 10, limit: 4 })).to.deep.equal([11, 12]);
      expect(await listed({ afterSeq: 12 })).to.deep.equal([]);
      expect(await listed({ limit: 1 })).to.deep.equal([1]);
      expect(await listed({ actorId: 'member-odd', afterSeq: 5, limit: 2 })).to.deep.equal([7, 9]);
      expect(await listed({ actions: ['no.such.action'] })).to.deep.equal([]);
    });

    it('refuses a list limit outside 1 to 1000 with TETHER_E_VALIDATION', async () => {
      const tenantId = await newTenant('audit-limit');
      await services.on(context.storage).append(countedEvent(tenantId, 1));
      for (const limit of [0, 1001, -1, 1.5, Number.NaN]) {
        await expectRejects(() => repositoryOf(tenantId).list({ limit }), 'TETHER_E_VALIDATION');
      }
      expect(seqs(await repositoryOf(tenantId).list({ limit: 1000 }))).to.deep.equal([1]);
    });

    it('walks every record in seq order, across more than one batch', async () => {
      const tenantId = await newTenant('audit-walk');
      const audit = services.on(context.storage);
      const count = 503; // the walk reads 500 at a time
      for (const n of oneTo(count)) await audit.append(countedEvent(tenantId, n));
      const walked: AuditRecord[] = [];
      for await (const record of repositoryOf(tenantId).walk()) walked.push(record);
      expect(seqs(walked)).to.deep.equal(oneTo(count));
      expect(walked).to.deep.equal(await allOf(tenantId));
      expect(await audit.verify(tenantId)).to.deep.equal({ tenantId, checked: count });
    });
  });
}
