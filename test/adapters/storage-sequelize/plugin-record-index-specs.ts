import { expect } from 'chai';
import type {
  PluginRecordRepository,
  TenantScope,
} from '../../../engine/contracts/storage-contract.js';
import { expectRejects, rejectionOf, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';
import { GARBAGE_CURSORS, walkPages } from './tenant-specs.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** Five messages of two sessions, put out of order; m3 and m4 share a time. */
async function putMessages(records: PluginRecordRepository): Promise<void> {
  await records.put('msg', 'b/m4', 4, { tags: ['session:b', 'tech:x'], at: at(30) });
  await records.put('msg', 'a/m1', 1, { tags: ['session:a', 'tech:x'], at: at(10) });
  await records.put('msg', 'a/m3', 3, { tags: ['session:a', 'tech:x', 'tech:y'], at: at(30) });
  await records.put('msg', 'a/m2', 2, { tags: ['session:a'], at: at(20) });
  await records.put('msg', 'b/m5', 5, { tags: ['session:b'], at: at(40) });
  await records.put('msg', 'plain', 0);
}

export function pluginRecordIndexSpecs(context: SuiteContext): void {
  const recordsOfNewTenant = async (label: string, plugin = 'chat') => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    const scope: TenantScope = context.storage.forTenant(tenant.id);
    return scope.pluginRecords(plugin);
  };
  const keys = async (records: PluginRecordRepository, query = {}) =>
    (await records.find('msg', query)).items.map((record) => record.key);

  describe('plugin records: find by tag and period', () => {
    it('finds the indexed records by time then key, leaving unindexed ones out', async () => {
      const records = await recordsOfNewTenant('find-all');
      await putMessages(records);
      expect(await keys(records)).to.deep.equal(['a/m1', 'a/m2', 'a/m3', 'b/m4', 'b/m5']);
      const found = (await records.find('msg', { tag: 'session:a' })).items;
      expect(found.map((r) => [r.key, r.value, r.at?.toISOString()])).to.deep.equal([
        ['a/m1', 1, at(10).toISOString()],
        ['a/m2', 2, at(20).toISOString()],
        ['a/m3', 3, at(30).toISOString()],
      ]);
      expect((await records.get('msg', 'a/m1'))?.at?.getTime()).to.equal(at(10).getTime());
      expect((await records.get('msg', 'plain'))?.at).to.equal(undefined);
    });

    it('selects by tag and by the period from <= at < to', async () => {
      const records = await recordsOfNewTenant('find-tag');
      await putMessages(records);
      expect(await keys(records, { tag: 'tech:x' })).to.deep.equal(['a/m1', 'a/m3', 'b/m4']);
      expect(await keys(records, { tag: 'tech:y' })).to.deep.equal(['a/m3']);
      expect(await keys(records, { from: at(20), to: at(40) })).to.deep.equal([
        'a/m2',
        'a/m3',
        'b/m4',
      ]);
      expect(await keys(records, { tag: 'tech:x', from: at(11) })).to.deep.equal(['a/m3', 'b/m4']);
      expect(await keys(records, { tag: 'session:b', to: at(30) })).to.deep.equal([]);
      expect(await keys(records, { tag: 'nobody' })).to.deep.equal([]);
    });

    it('pages through equal times without losing or repeating a record', async () => {
      const records = await recordsOfNewTenant('find-pages');
      for (const key of ['e', 'c', 'a', 'd', 'b']) {
        await records.put('msg', key, key, { tags: ['same'], at: at(0) });
      }
      for (const query of [{}, { tag: 'same' }]) {
        const pages = await walkPages((page) => records.find('msg', query, page), 2, 5);
        expect(pages.map((page) => page.map((r) => r.key))).to.deep.equal([
          ['a', 'b'],
          ['c', 'd'],
          ['e'],
        ]);
      }
    });

    it('replaces the index on a second put and forgets it on delete', async () => {
      const records = await recordsOfNewTenant('find-replace');
      await records.put('msg', 'k', 1, { tags: ['old'], at: at(5) });
      await records.put('msg', 'k', 2, { tags: ['new'], at: at(6) });
      expect(await keys(records, { tag: 'old' })).to.deep.equal([]);
      expect((await records.find('msg', { tag: 'new' })).items[0]).to.deep.include({ value: 2 });
      await records.put('msg', 'k', 3);
      expect(await keys(records)).to.deep.equal([]);
      expect(await keys(records, { tag: 'new' })).to.deep.equal([]);
      await records.put('msg', 'k', 4, { tags: ['again'], at: at(7) });
      expect(await records.delete('msg', 'k')).to.equal(true);
      expect(await keys(records, { tag: 'again' })).to.deep.equal([]);
    });

    it('adds a record only once: a second add, with another value, changes nothing', async () => {
      const records = await recordsOfNewTenant('add-once');
      expect(await records.add('msg', 'k', 'first', { tags: ['one'], at: at(1) })).to.equal(true);
      expect(await records.add('msg', 'k', 'second', { tags: ['two'], at: at(2) })).to.equal(false);
      expect((await records.get('msg', 'k'))?.value).to.equal('first');
      expect(await keys(records, { tag: 'one' })).to.deep.equal(['k']);
      expect(await keys(records, { tag: 'two' })).to.deep.equal([]);
    });

    // sqlite::memory: has one connection, which holds one transaction at a time: writers at once
    // are for a database file or a server.
    const manyConnections = context.fixture.label !== 'SQLite (sqlite::memory:)';
    if (manyConnections) {
      it('lets exactly one of several adds of a key at once store it', async () => {
        const records = await recordsOfNewTenant('add-race');
        const tries = Array.from({ length: 6 }, (_, i) =>
          records.add('msg', 'k', i, { tags: [`t${i}`], at: at(i) }),
        );
        const outcomes = await Promise.all(tries);
        expect(outcomes.filter(Boolean)).to.have.length(1);
        const winner = outcomes.indexOf(true);
        expect((await records.get('msg', 'k'))?.value).to.equal(winner);
        expect((await records.find('msg', {})).items).to.have.length(1);
      });
    }

    it('keeps a transaction usable after an add that found the key taken', async () => {
      const tenant = await context.storage.tenants.create(uniqueName('add-unit'));
      await context.storage.transaction(async (unit) => {
        const records = unit.forTenant(tenant.id).pluginRecords('chat');
        expect(await records.add('msg', 'k', 1, { at: at(1) })).to.equal(true);
        expect(await records.add('msg', 'k', 2, { at: at(2) })).to.equal(false);
        await records.put('msg', 'other', 3, { tags: ['after'], at: at(3) });
      });
      const records = context.storage.forTenant(tenant.id).pluginRecords('chat');
      expect(await keys(records)).to.deep.equal(['k', 'other']);
      expect((await records.get('msg', 'k'))?.value).to.equal(1);
    });

    it("keeps another plugin's and another tenant's tagged records out of reach", async () => {
      const records = await recordsOfNewTenant('find-own');
      await putMessages(records);
      const otherTenant = await recordsOfNewTenant('find-other');
      expect(await keys(otherTenant, { tag: 'session:a' })).to.deep.equal([]);
      expect(await keys(otherTenant)).to.deep.equal([]);
      const otherPlugin = await recordsOfNewTenant('find-plugin', 'other');
      expect(await keys(otherPlugin, { tag: 'session:a' })).to.deep.equal([]);
    });

    it('rejects bad tags, dates and cursors with TETHER_E_VALIDATION', async () => {
      const records = await recordsOfNewTenant('find-invalid');
      const tooMany = Array.from({ length: 33 }, (_, i) => `t${i}`);
      for (const tags of [[''], ['x'.repeat(201)], ['a\u0000b'], tooMany]) {
        await expectRejects(() => records.put('msg', 'k', 1, { tags }), 'TETHER_E_VALIDATION');
      }
      const invalid = new Date(Number.NaN);
      const badTime = () => records.put('msg', 'k', 1, { at: invalid });
      await expectRejects(badTime, 'TETHER_E_VALIDATION');
      await expectRejects(() => records.find('msg', { from: invalid }), 'TETHER_E_VALIDATION');
      await expectRejects(() => records.find('msg', { tag: '' }), 'TETHER_E_VALIDATION');
      await expectRejects(() => records.find('Bad', {}), 'TETHER_E_VALIDATION');
      expect(await records.get('msg', 'k')).to.equal(undefined);
      const forged = Buffer.from(JSON.stringify(['x', 'k'])).toString('base64url');
      for (const after of [...GARBAGE_CURSORS, forged]) {
        const error = await rejectionOf(() => records.find('msg', {}, { after }));
        expect(error, `cursor ${after}`).to.have.property('code', 'TETHER_E_VALIDATION');
      }
    });
  });
}
