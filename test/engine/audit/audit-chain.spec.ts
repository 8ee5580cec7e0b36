import { createHmac, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  canonicalAuditBytes,
  chainHash,
  GENESIS_HASH,
  sealRecord,
  verifyChain,
  type AuditLink,
  type UnhashedAuditRecord,
} from '../../../engine/audit/audit-chain.js';
import type { AuditEvent, AuditRecord } from '../../../engine/contracts/audit-log-contract.js';
import { ProgrammerError } from '../../../engine/errors.js';
import {
  KEY,
  OTHER_KEY,
  TENANT,
  OTHER_TENANT,
  eventFor,
  chainOf,
  timeOf,
  type Change,
  edited,
  resealedFrom,
  reversedKeys,
  roundTripped,
  cursor,
  expectBad,
  expectWhole,
  expectProgrammerError,
  withAfter,
} from './audit-chain-fixtures.js';
import { hiddenClassCount } from '../../support/hidden-classes.js';

describe('audit chain', () => {
  const chain = chainOf(20);
  const head = { seq: 20, hash: chain[19]?.hash ?? '' };

  describe('sealRecord', () => {
    it('numbers from 1, links to the genesis hash and then to each previous record', () => {
      expect(GENESIS_HASH).to.equal('0'.repeat(64));
      chain.forEach((record, index) => {
        expect(record.seq).to.equal(index + 1);
        expect(record.prevHash).to.equal(chain[index - 1]?.hash ?? GENESIS_HASH);
      });
      expect(new Set(chain.map((record) => record.hash)).size).to.equal(20);
      chain.forEach((record) => expect(record.hash).to.match(/^[0-9a-f]{64}$/));
    });

    it('continues from a stored link and keeps no field the event left out', () => {
      const record = sealRecord(KEY, { seq: 41, hash: 'a'.repeat(64) }, eventFor(5), timeOf(5));
      expect(record.seq).to.equal(42);
      expect(record.prevHash).to.equal('a'.repeat(64));
      expect(Object.keys(record)).not.to.include('nodeId');
      expect(Object.keys(record)).not.to.include('details');
    });

    it('copies the values, so changing the event afterwards does not break the chain', async () => {
      const after = { role: 'admin', nested: { level: 1 } };
      const at = timeOf(1);
      const record = sealRecord(KEY, undefined, { ...eventFor(1), after }, at);
      after.nested.level = 2;
      at.setTime(0);
      await expectWhole([record], 1);
    });

    it('gives records of one kind of event one hidden class, as storage code reads them', () => {
      let previous: AuditLink | undefined;
      const records = Array.from({ length: 48 }, (_, i) => {
        const record = sealRecord(KEY, previous, eventFor(1), timeOf(i));
        previous = record;
        return record;
      });
      expect(hiddenClassCount(records)).to.be.at.most(2);
    });

    it('refuses a bad previous link, an invalid time and non-JSON values', () => {
      const event = eventFor(1);
      const links = [0, 1.5, 'A'.repeat(64), 'a'].map((bad) =>
        typeof bad === 'number' ? { seq: bad, hash: 'a'.repeat(64) } : { seq: 3, hash: bad },
      );
      for (const link of links) {
        expectProgrammerError(() => sealRecord(KEY, link, event, timeOf(1)), /previous|seq/);
      }
      expectProgrammerError(() => sealRecord(KEY, undefined, event, new Date('nope')), /Date/);
      const bad = { ...event, details: { when: new Date() } } as unknown as AuditEvent;
      expectProgrammerError(() => sealRecord(KEY, undefined, bad, timeOf(1)), /details\.when/);
    });
  });

  describe('canonicalAuditBytes', () => {
    const base: UnhashedAuditRecord = {
      seq: 1,
      tenantId: TENANT,
      at: new Date('2024-05-01T10:00:00Z'),
      action: 'auth.sign-in.failed',
      actor: { kind: 'anonymous', label: 'é@example.com' },
      after: { b: [2, 1], a: null },
      prevHash: GENESIS_HASH,
    };

    it('is sorted, compact JSON with milliseconds in the time', () => {
      const expected =
        '{"action":"auth.sign-in.failed","actor":{"kind":"anonymous","label":"é@example.com"},' +
        '"after":{"a":null,"b":[2,1]},"at":"2024-05-01T10:00:00.000Z",' +
        `"prevHash":"${GENESIS_HASH}","seq":1,"tenantId":"tenant-a"}`;
      expect(canonicalAuditBytes(base).toString('utf8')).to.equal(expected);
    });

    it('encodes an undefined field as a missing one, at every depth', () => {
      const explicit = {
        ...base,
        nodeId: undefined,
        ip: undefined,
        target: undefined,
        details: undefined,
        actor: { kind: 'anonymous', id: undefined, label: 'é@example.com' },
        after: { b: [2, 1], a: null, gone: undefined },
      } as unknown as UnhashedAuditRecord;
      expect(canonicalAuditBytes(explicit).equals(canonicalAuditBytes(base))).to.equal(true);
    });

    it('tells null from absent, one array order from another, one value from another', () => {
      const same = canonicalAuditBytes(base);
      const variants: UnhashedAuditRecord[] = [
        { ...base, before: null },
        { ...base, after: { b: [1, 2], a: null } },
        { ...base, after: { b: [2, 1] } },
        { ...base, after: { b: [2, 1], a: 0 } },
        { ...base, after: { b: ['2', 1], a: null } },
        { ...base, at: new Date(base.at.getTime() + 1) },
        { ...base, seq: 2 },
        { ...base, prevHash: 'f'.repeat(64) },
        { ...base, actor: { kind: 'anonymous', label: 'e\u0301@example.com' } },
      ];
      for (const variant of variants) {
        expect(canonicalAuditBytes(variant).equals(same), JSON.stringify(variant)).to.equal(false);
      }
    });

    it('is the same whatever order the keys of the objects come in', () => {
      const reordered = {
        ...Object.fromEntries(Object.entries(base).reverse()),
        actor: { label: 'é@example.com', kind: 'anonymous' },
        after: { a: null, b: [2, 1] },
      } as unknown as UnhashedAuditRecord;
      expect(Object.keys(reordered)[0]).to.equal('prevHash');
      expect(canonicalAuditBytes(reordered).equals(canonicalAuditBytes(base))).to.equal(true);
    });

    it('ignores properties outside the contract, such as a row id', () => {
      const row = { ...base, id: 99, createdAt: new Date(), actor: { ...base.actor, extra: 1 } };
      expect(canonicalAuditBytes(row).equals(canonicalAuditBytes(base))).to.equal(true);
    });

    it('refuses values that would not read back unchanged', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const bad: [unknown, RegExp][] = [
        [Number.NaN, /NaN/],
        [Number.POSITIVE_INFINITY, /Infinity/],
        [new Date(), /Date/],
        [10n, /bigint/],
        [() => 1, /function/],
        [new Map(), /Map/],
        [[1, undefined], /details\.1 is undefined/],
        ['\ud800', /surrogate/],
        [{ ['\udc00']: 1 }, /surrogate/],
        [cyclic, /deeper/],
      ];
      for (const [details, pattern] of bad) {
        const record = { ...base, details } as unknown as UnhashedAuditRecord;
        expectProgrammerError(() => canonicalAuditBytes(record), pattern);
      }
      for (const seq of [0, -1, 1.5, '3', Number.NaN]) {
        const record = { ...base, seq } as unknown as UnhashedAuditRecord;
        expectProgrammerError(() => canonicalAuditBytes(record), /seq/);
      }
      const undated = { ...base, at: '2024-05-01T10:00:00.000Z' } as unknown as UnhashedAuditRecord;
      expectProgrammerError(() => canonicalAuditBytes(undated), /Date/);
    });
  });

  describe('chainHash', () => {
    const record = chain[0] as AuditRecord;

    it('is HMAC-SHA-256 hex that depends on the key and on the previous hash', () => {
      const hmac = createHmac('sha256', KEY).update(canonicalAuditBytes(record)).digest('hex');
      expect(chainHash(KEY, record)).to.equal(hmac).and.to.equal(record.hash);
      expect(chainHash(OTHER_KEY, record)).not.to.equal(record.hash);
      expect(chainHash(KEY, { ...record, prevHash: 'f'.repeat(64) })).not.to.equal(record.hash);
    });

    it('refuses keys that are not 32 bytes, in every function that takes one', async () => {
      const text = 'k'.repeat(32) as unknown as Uint8Array;
      for (const key of [new Uint8Array(0), randomBytes(31), randomBytes(33), text]) {
        expectProgrammerError(() => chainHash(key, record), /32 bytes/);
        expectProgrammerError(() => sealRecord(key, undefined, record, record.at), /32 bytes/);
        const failure = await verifyChain(key, TENANT, chain).catch((e: unknown) => e);
        expect(failure).to.be.instanceOf(ProgrammerError);
      }
    });
  });

  describe('verifyChain', () => {
    it('accepts a whole chain from an array and from an async cursor', async () => {
      await expectWhole(chain, 20);
      await expectWhole(cursor(chain), 20, head);
    });

    it('accepts an empty chain, also against a head at 0', async () => {
      await expectWhole([], 0);
      await expectWhole([], 0, { seq: 0, hash: GENESIS_HASH });
    });

    it('accepts records read back from a database with their keys in another order', async () => {
      const readBack = chain.map(roundTripped);
      expect(Object.keys(readBack[6]?.after ?? {})).to.deep.equal(['list', 'limits', 'role']);
      await expectWhole(readBack, 20, head);
    });

    describe('finds an edited field of record 7', () => {
      const changes: [string, Change][] = [
        ['action', (r) => ({ ...r, action: 'auth.sign-in.failed' })],
        ['actor.id', (r) => ({ ...r, actor: { ...r.actor, id: 'm-intruder' } })],
        ['actor.kind', (r) => ({ ...r, actor: { ...r.actor, kind: 'system' } })],
        ['at, by 1 ms', (r) => ({ ...r, at: new Date(r.at.getTime() + 1) })],
        ['ip', (r) => ({ ...r, ip: '203.0.113.8' })],
        ['nodeId, removed', (r) => ({ ...r, nodeId: undefined })],
        ['target.id', (r) => ({ ...r, target: { kind: 'member', id: 'm-8' } })],
        ['before, null made absent', (r) => ({ ...r, before: undefined })],
        ['details, added', (r) => ({ ...r, details: { reason: 'cover-up' } })],
        ['a nested value inside after', (r) => withAfter(r, { limits: { max: 1, on: true } })],
        ['the order of an array inside after', (r) => withAfter(r, { list: [2, 1, 3] })],
        ['tenantId', (r) => ({ ...r, tenantId: OTHER_TENANT })],
        ['prevHash', (r) => ({ ...r, prevHash: 'f'.repeat(64) })],
        ['hash', (r) => ({ ...r, hash: 'f'.repeat(64) })],
        ['hash, in upper case', (r) => ({ ...r, hash: r.hash.toUpperCase() })],
        ['hash, not hex', (r) => ({ ...r, hash: 'é'.repeat(64) })],
      ];

      for (const [field, change] of changes) {
        it(field, async () => {
          const tampered = edited(chain, 7, change);
          const reason =
            field === 'tenantId' ? 'belongs to another tenant' : 'hash does not match its content';
          const result = await expectBad(tampered, 7, reason);
          expect(result.checked).to.equal(7);
        });
      }
    });

    it('finds a deleted record at the record after it', async () => {
      const deleted = chain.filter((record) => record.seq !== 7);
      await expectBad(deleted, 8, 'sequence jumps from 6 to 8');
    });

    it('finds the first records deleted', async () => {
      await expectBad(chain.slice(2), 3, 'starts at 3, not 1');
    });

    it('finds two records swapped, in order or in content under the same seqs', async () => {
      const order = [...chain.slice(0, 6), chain[7], chain[6], ...chain.slice(8)];
      await expectBad(order as AuditRecord[], 8, 'sequence jumps from 6 to 8');
      const content = chain.map((record) => {
        if (record.seq === 7) return { ...(chain[7] as AuditRecord), seq: 7 };
        return record.seq === 8 ? { ...(chain[6] as AuditRecord), seq: 8 } : record;
      });
      await expectBad(content, 7, 'hash does not match its content');
    });

    it('finds a record repeated and the sequence going back', async () => {
      const repeated = [...chain.slice(0, 7), chain[6], ...chain.slice(7)] as AuditRecord[];
      expect((await expectBad(repeated, 7, 'sequence repeats 7')).checked).to.equal(8);
      const back = [...chain.slice(0, 8), chain[4], ...chain.slice(8)] as AuditRecord[];
      await expectBad(back, 5, 'sequence goes back from 8 to 5');
    });

    it('finds a forged record inserted with a hash made under another key', async () => {
      const forged = sealRecord(OTHER_KEY, chain[6], eventFor(99), timeOf(8));
      const inserted = [...chain.slice(0, 7), forged];
      await expectBad(inserted, 8, 'hash does not match its content');
      const renumbered = resealedFrom([...inserted, ...chain.slice(7)], 8, OTHER_KEY);
      await expectBad(renumbered, 8, 'hash does not match its content');
    });

    it('finds an edit even when every later hash was recomputed under another key', async () => {
      const tampered = edited(chain, 7, (r) => ({ ...r, action: 'nothing.happened' }));
      await expectBad(resealedFrom(tampered, 6, OTHER_KEY), 7, 'hash does not match its content');
    });

    it('finds a row replaced by a validly sealed row of a fork of the chain', async () => {
      const fork = chainOf(4);
      fork.push(sealRecord(KEY, fork.at(-1), eventFor(55), timeOf(5)));
      fork.push(sealRecord(KEY, fork.at(-1), eventFor(6), timeOf(6)));
      expect(fork[3]?.hash).to.equal(chain[3]?.hash);
      const spliced = chain.map((record) => (record.seq === 6 ? (fork[5] as AuditRecord) : record));
      await expectBad(spliced, 6, 'previous hash does not match record 5');
    });

    it('finds a first record that does not start from the genesis hash', async () => {
      const { hash: _hash, ...fields } = chain[0] as AuditRecord;
      const unhashed = { ...fields, prevHash: 'e'.repeat(64) };
      const relinked = [{ ...unhashed, hash: chainHash(KEY, unhashed) }, ...chain.slice(1)];
      await expectBad(relinked, 1, 'previous hash is not the genesis hash');
    });

    it('still accepts a record whose after has its keys in another order', async () => {
      const reordered = edited(chain, 7, (r) => ({ ...r, after: reversedKeys(r.after) }));
      expect(JSON.stringify(reordered[6]?.after)).not.to.equal(JSON.stringify(chain[6]?.after));
      await expectWhole(reordered, 20);
    });

    it('finds a record of another tenant, even one sealed under the same key', async () => {
      const theirs = chainOf(20, OTHER_TENANT);
      expect((await verifyChain(KEY, OTHER_TENANT, theirs)).firstBad).to.equal(undefined);
      const mixed = chain.map((record) => (record.seq === 7 ? (theirs[6] as AuditRecord) : record));
      await expectBad(mixed, 7, 'belongs to another tenant');
    });

    it('finds a cut tail, a chain longer than its head and a head of another chain', async () => {
      const foreign = { seq: 20, hash: chainOf(20, TENANT, OTHER_KEY)[19]?.hash ?? '' };
      const cases: [AuditRecord[], AuditLink, number, string][] = [
        [chain.slice(0, 17), head, 17, 'the chain ends at 17, the head says 20'],
        [chain, { seq: 18, hash: '' }, 20, 'the chain ends at 20, the head says 18'],
        [chain, foreign, 20, "record 20 does not match the head's hash"],
        [[], head, 0, 'the chain ends at 0, the head says 20'],
      ];
      for (const [records, expected, checked, reason] of cases) {
        expect(await verifyChain(KEY, TENANT, records, expected)).to.deep.equal({
          tenantId: TENANT,
          checked,
          firstBad: { seq: expected.seq, reason },
        });
      }
    });

    it('reports malformed rows from a database instead of throwing', async () => {
      const undated = edited(chain, 7, (r) => ({ ...r, at: new Date('garbage') }));
      const result = await verifyChain(KEY, TENANT, undated);
      expect(result.firstBad?.seq).to.equal(7);
      expect(result.firstBad?.reason).to.match(/^content is not valid audit data \(.*Date/);
      const textSeq = edited(chain, 7, (r) => ({ ...r, seq: '7' as unknown as number }));
      const second = await verifyChain(KEY, TENANT, textSeq);
      expect(second.firstBad?.seq).to.equal(7);
      expect(second.firstBad?.reason).to.match(/^content is not valid audit data \(.*seq/);
    });

    it('stops at the first bad record', async () => {
      const moved = (r: AuditRecord) => ({ ...r, ip: '::1' });
      const twice = edited(edited(chain, 5, moved), 9, moved);
      const result = await expectBad(cursor(twice), 5, 'hash does not match its content');
      expect(result.checked).to.equal(5);
    });
  });
});

/** The record with some members of its `after` object replaced. */
