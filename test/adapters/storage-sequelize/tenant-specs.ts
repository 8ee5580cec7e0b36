import { expect } from 'chai';
import type { Page, PageRequest, Tenant } from '../../../engine/contracts/storage-contract.js';
import { expectRejects, rejectionOf, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Every page of a listing, following `next` until it is absent. Stops with a failure after
 * `maxPages`, so that a cursor that never ends cannot hang the run.
 */
export async function walkPages<T>(
  list: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
  maxPages: number,
): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | undefined;
  do {
    if (pages.length === maxPages) throw new Error(`still paging after ${maxPages} pages`);
    const page = await list(after === undefined ? { limit } : { limit, after });
    pages.push([...page.items]);
    after = page.next;
  } while (after !== undefined);
  return pages;
}

/** Cursors that `list` never hands out: not base64url, NUL bytes, bytes that are not UTF-8. */
export const GARBAGE_CURSORS = ['!!!', 'AAAA', '_w', 'YWJj='];

export function tenantSpecs(context: SuiteContext): void {
  describe('tenants', () => {
    it('creates a tenant and finds it again by id and by name', async () => {
      const name = uniqueName('acme');
      const before = Date.now();
      const tenant = await context.storage.tenants.create(name);
      expect(tenant.id).to.match(UUID);
      expect(tenant.name).to.equal(name);
      expect(tenant.createdAt).to.be.instanceOf(Date);
      expect(tenant.createdAt.getTime()).to.be.within(before - 1000, Date.now() + 1000);
      expect(await context.storage.tenants.findById(tenant.id)).to.deep.equal(tenant);
      expect(await context.storage.tenants.findByName(name)).to.deep.equal(tenant);
    });

    it('counts a new tenant and lists it', async () => {
      const { tenants } = context.storage;
      const countBefore = await tenants.count();
      const tenant = await tenants.create(uniqueName('counted'));
      expect(await tenants.count()).to.equal(countBefore + 1);
      const listed = (await tenants.list({ limit: 500 })).items;
      expect(listed.map((t) => t.id)).to.include(tenant.id);
      expect(listed).to.have.length(countBefore + 1);
    });

    it('refuses a second tenant with a taken name with TETHER_E_CONFLICT', async () => {
      const { tenants } = context.storage;
      const name = uniqueName('taken');
      const first = await tenants.create(name);
      const countBefore = await tenants.count();
      await expectRejects(() => tenants.create(name), 'TETHER_E_CONFLICT');
      expect(await tenants.count()).to.equal(countBefore);
      expect(await tenants.findByName(name)).to.deep.equal(first);
    });

    it('compares names case-sensitively: "Name" and "name" are two tenants', async () => {
      const { tenants } = context.storage;
      const name = uniqueName('casey');
      const lower = await tenants.create(name);
      const upper = await tenants.create(name.toUpperCase());
      expect(upper.id).to.not.equal(lower.id);
      expect((await tenants.findByName(name))?.id).to.equal(lower.id);
      expect((await tenants.findByName(name.toUpperCase()))?.id).to.equal(upper.id);
    });

    it('answers findById with undefined for a non-UUID string or an unknown id', async () => {
      const { tenants } = context.storage;
      await tenants.create(uniqueName('present'));
      for (const id of ['not-a-uuid', '', "x' OR '1'='1", '12345678-1234-1234-1234-1234567890a']) {
        expect(await tenants.findById(id), id).to.equal(undefined);
      }
      expect(await tenants.findById('00000000-0000-4000-8000-000000000000')).to.equal(undefined);
    });

    it('answers findByName with undefined for an unknown name', async () => {
      expect(await context.storage.tenants.findByName(uniqueName('nobody'))).to.equal(undefined);
    });

    it('walks every tenant in name order with limit and next, without repeats', async () => {
      const { tenants } = context.storage;
      const prefix = uniqueName('paged');
      const mine = [4, 0, 6, 2, 5, 1, 3].map((i) => `${prefix}-${i}`);
      for (const name of mine) await tenants.create(name);
      const total = await tenants.count();

      const pages = await walkPages((page) => tenants.list(page), 3, total + 2);
      const names = pages.flat().map((tenant) => tenant.name);
      expect(new Set(names).size, 'no tenant twice').to.equal(names.length);
      expect(names).to.have.length(total);
      expect(names.filter((name) => name.startsWith(`${prefix}-`))).to.deep.equal([...mine].sort());
      expect(pages.slice(0, -1).every((page) => page.length === 3)).to.equal(true);
      expect(pages.at(-1)?.length).to.be.within(1, 3);
    });

    it('gives no next cursor when the last page is exactly full', async () => {
      const { tenants } = context.storage;
      await tenants.create(uniqueName('full'));
      const total = await tenants.count();
      const page: Page<Tenant> = await tenants.list({ limit: total });
      expect(page.items).to.have.length(total);
      expect(page.next).to.equal(undefined);
      expect((await tenants.list({ limit: total - 1 })).next).to.be.a('string');
    });

    it('takes limits 1 and 500, rejects 0, 501, -1 and 1.5 with TETHER_E_VALIDATION', async () => {
      const { tenants } = context.storage;
      await tenants.create(uniqueName('limits'));
      expect((await tenants.list({ limit: 1 })).items).to.have.length(1);
      expect((await tenants.list({ limit: 500 })).items.length).to.be.at.least(1);
      for (const limit of [0, 501, -1, 1.5]) {
        await expectRejects(() => tenants.list({ limit }), 'TETHER_E_VALIDATION');
      }
    });

    it('rejects a cursor it never handed out with TETHER_E_VALIDATION, not STORAGE', async () => {
      const { tenants } = context.storage;
      await tenants.create(uniqueName('cursor'));
      for (const after of GARBAGE_CURSORS) {
        const error = await rejectionOf(() => tenants.list({ limit: 10, after }));
        expect(error, `cursor ${after}`).to.have.property('code', 'TETHER_E_VALIDATION');
        expect((error as Error).message).to.match(/^after: /);
      }
    });
  });
}
