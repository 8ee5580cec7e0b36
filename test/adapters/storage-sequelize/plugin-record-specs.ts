import { expect } from 'chai';
import type { JsonValue } from '../../../engine/contracts/json-value.js';
import type { TenantScope } from '../../../engine/contracts/storage-contract.js';
import { expectRejects, rejectionOf, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';
import { GARBAGE_CURSORS, walkPages } from './tenant-specs.js';

/** JSON values of every shape, each stored under its own key. */
const VALUES: Record<string, JsonValue> = {
  nested: { a: { b: { c: [1, { d: 'deep' }] } }, empty: {}, list: [] },
  array: [1, 'two', true, null, [3, [4]], { five: 5 }],
  unicode: 'Grüße, 日本語, emoji 🎉, rtl עברית, quote \' " \\ and NUL \u0000 inside',
  numbers: [0, -1, 3.141592653589793, 1e300, -2.5e-300, Number.MAX_SAFE_INTEGER],
  string: 'plain',
  number: 42,
  boolean: false,
  null: null,
  unicodeKeys: { ключ: 'значение', '🔑': ['🗝'] },
};

const BAD_KINDS = ['', 'Upper', '1abc', 'a b', 'a_b', 'a/b', `a${'b'.repeat(64)}`];
const BAD_KEYS = ['', 'k'.repeat(201)];

export function pluginRecordSpecs(context: SuiteContext): void {
  const scopeOfNewTenant = async (label: string): Promise<TenantScope> => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    return context.storage.forTenant(tenant.id);
  };

  describe('plugin records', () => {
    it('stores a value with put and reads it with get', async () => {
      const records = (await scopeOfNewTenant('records')).pluginRecords('notes');
      const before = Date.now();
      await records.put('note', 'first', { text: 'hello' });
      const record = await records.get('note', 'first');
      expect(record).to.deep.include({ kind: 'note', key: 'first', value: { text: 'hello' } });
      expect(record?.updatedAt).to.be.instanceOf(Date);
      expect(record?.updatedAt.getTime()).to.be.within(before - 1000, Date.now() + 1000);
      expect(await records.get('note', 'second')).to.equal(undefined);
      expect(await records.get('other-kind', 'first')).to.equal(undefined);
    });

    it('replaces the value of a key on a second put', async () => {
      const records = (await scopeOfNewTenant('replace')).pluginRecords('notes');
      await records.put('note', 'k', { version: 1 });
      await records.put('note', 'k', { version: 2, extra: ['x'] });
      expect((await records.get('note', 'k'))?.value).to.deep.equal({ version: 2, extra: ['x'] });
      expect((await records.list('note')).items).to.have.length(1);
    });

    it('deletes a record, answering true once and false when nothing is left', async () => {
      const records = (await scopeOfNewTenant('delete')).pluginRecords('notes');
      await records.put('note', 'gone', 1);
      await records.put('note', 'kept', 2);
      expect(await records.delete('note', 'gone')).to.equal(true);
      expect(await records.get('note', 'gone')).to.equal(undefined);
      expect(await records.delete('note', 'gone')).to.equal(false);
      expect((await records.get('note', 'kept'))?.value).to.equal(2);
    });

    it('lists one kind ordered by key, page by page', async () => {
      const records = (await scopeOfNewTenant('list')).pluginRecords('notes');
      for (const key of ['c', 'a', 'e', 'b', 'd']) await records.put('note', key, key);
      await records.put('other', 'a', 'not a note');
      const pages = await walkPages((page) => records.list('note', page), 2, 5);
      expect(pages.map((page) => page.map((r) => r.key))).to.deep.equal([
        ['a', 'b'],
        ['c', 'd'],
        ['e'],
      ]);
      expect(pages.flat().every((r) => r.kind === 'note' && r.value === r.key)).to.equal(true);
      expect((await records.list('none')).items).to.deep.equal([]);
    });

    it('keeps the records of plugin "a" out of reach of plugin "b" in one tenant', async () => {
      const scope = await scopeOfNewTenant('plugins');
      const a = scope.pluginRecords('a');
      const b = scope.pluginRecords('b');
      await a.put('note', 'k', 'from a');
      expect(await b.get('note', 'k')).to.equal(undefined);
      expect((await b.list('note')).items).to.deep.equal([]);
      expect(await b.delete('note', 'k')).to.equal(false);
      await b.put('note', 'k', 'from b');
      expect((await a.get('note', 'k'))?.value).to.equal('from a');
      expect((await b.get('note', 'k'))?.value).to.equal('from b');
      expect((await a.list('note')).items.map((r) => r.value)).to.deep.equal(['from a']);
    });

    it("keeps tenant A's records out of reach of tenant B, for the same plugin", async () => {
      const a = (await scopeOfNewTenant('records-a')).pluginRecords('same');
      const b = (await scopeOfNewTenant('records-b')).pluginRecords('same');
      await a.put('note', 'k', 'of tenant a');
      expect(await b.get('note', 'k')).to.equal(undefined);
      expect((await b.list('note')).items).to.deep.equal([]);
      expect(await b.delete('note', 'k')).to.equal(false);
      await b.put('note', 'k', 'of tenant b');
      expect((await a.get('note', 'k'))?.value).to.equal('of tenant a');
    });

    it('rejects an invalid kind or key with TETHER_E_VALIDATION and stores nothing', async () => {
      const records = (await scopeOfNewTenant('invalid')).pluginRecords('notes');
      for (const kind of BAD_KINDS) {
        await expectRejects(() => records.put(kind, 'k', 1), 'TETHER_E_VALIDATION');
        await expectRejects(() => records.get(kind, 'k'), 'TETHER_E_VALIDATION');
        await expectRejects(() => records.list(kind), 'TETHER_E_VALIDATION');
        await expectRejects(() => records.delete(kind, 'k'), 'TETHER_E_VALIDATION');
      }
      for (const key of BAD_KEYS) {
        await expectRejects(() => records.put('note', key, 1), 'TETHER_E_VALIDATION');
        await expectRejects(() => records.get('note', key), 'TETHER_E_VALIDATION');
        await expectRejects(() => records.delete('note', key), 'TETHER_E_VALIDATION');
      }
      expect((await records.list('note')).items).to.deep.equal([]);
    });

    it('accepts the longest kind (64) and key (200) it allows', async () => {
      const records = (await scopeOfNewTenant('longest')).pluginRecords('notes');
      const kind = `k${'-.9'.repeat(21)}`;
      const key = '鍵'.repeat(200);
      expect(kind).to.have.length(64);
      await records.put(kind, key, 'fits');
      expect(await records.get(kind, key)).to.deep.include({ kind, key, value: 'fits' });
    });

    it('gives back JSON values unchanged: nested, arrays, unicode, numbers', async () => {
      const records = (await scopeOfNewTenant('json')).pluginRecords('json');
      for (const [key, value] of Object.entries(VALUES)) await records.put('value', key, value);
      for (const [key, value] of Object.entries(VALUES)) {
        expect((await records.get('value', key))?.value, key).to.deep.equal(value);
      }
      const listed = (await records.list('value')).items;
      expect(Object.fromEntries(listed.map((r) => [r.key, r.value]))).to.deep.equal(VALUES);
    });

    it('rejects a bad limit or a cursor it never handed out with TETHER_E_VALIDATION', async () => {
      const records = (await scopeOfNewTenant('record-paging')).pluginRecords('notes');
      await records.put('note', 'k', 1);
      await expectRejects(() => records.list('note', { limit: 0 }), 'TETHER_E_VALIDATION');
      await expectRejects(() => records.list('note', { limit: 501 }), 'TETHER_E_VALIDATION');
      for (const after of GARBAGE_CURSORS) {
        const error = await rejectionOf(() => records.list('note', { after }));
        expect(error, `cursor ${after}`).to.have.property('code', 'TETHER_E_VALIDATION');
      }
    });
  });
}
