import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { NewMember, TenantScope } from '../../../engine/contracts/storage-contract.js';
import { expectRejects, rejectionOf, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';
import { GARBAGE_CURSORS, walkPages } from './tenant-specs.js';

const MEMBER_FIELDS = [
  'createdAt',
  'disabled',
  'displayName',
  'email',
  'id',
  'role',
  'secondFactor',
  'ssoDisabled',
  'tenantId',
];

function newMember(email: string, extra: Partial<NewMember> = {}): NewMember {
  return { email, displayName: `Person ${email}`, role: 'technician', ...extra };
}

export function memberSpecs(context: SuiteContext): void {
  const scopeOfNewTenant = async (label: string): Promise<TenantScope> => {
    const tenant = await context.storage.tenants.create(uniqueName(label));
    return context.storage.forTenant(tenant.id);
  };

  describe('members', () => {
    it('creates a member and finds it by id, without handing out its secret', async () => {
      const scope = await scopeOfNewTenant('members');
      const secretHash = createHash('sha256').update('one-time').digest('hex');
      const member = await scope.members.create(
        newMember('grace@example.org', {
          role: 'administrator',
          oneTimeSecretHash: secretHash,
          oneTimeSecretExpiresAt: new Date(Date.now() + 60_000),
        }),
      );
      expect(member).to.include({
        tenantId: scope.tenantId,
        email: 'grace@example.org',
        displayName: 'Person grace@example.org',
        role: 'administrator',
      });
      expect(member.createdAt).to.be.instanceOf(Date);
      const found = await scope.members.findById(member.id);
      expect(found).to.deep.equal(member);
      expect(Object.keys(member).sort()).to.deep.equal(MEMBER_FIELDS);
      expect(Object.keys(found ?? {}).sort()).to.deep.equal(MEMBER_FIELDS);
      expect(JSON.stringify(found)).to.not.include(secretHash);
    });

    it('finds a member by e-mail whatever its case, keeping the case it was given', async () => {
      const scope = await scopeOfNewTenant('email-case');
      const member = await scope.members.create(newMember('Ada.Lovelace@Example.COM'));
      for (const email of ['ada.lovelace@example.com', 'ADA.LOVELACE@EXAMPLE.COM']) {
        const found = await scope.members.findByEmail(email);
        expect(found?.id, email).to.equal(member.id);
        expect(found?.email).to.equal('Ada.Lovelace@Example.COM');
      }
      expect(await scope.members.findByEmail('ada@example.com')).to.equal(undefined);
    });

    it('refuses the same e-mail in other case within a tenant with TETHER_E_CONFLICT', async () => {
      const scope = await scopeOfNewTenant('email-unique');
      await scope.members.create(newMember('linus@example.net'));
      await expectRejects(
        () => scope.members.create(newMember('Linus@EXAMPLE.net')),
        'TETHER_E_CONFLICT',
      );
      await expectRejects(
        () => scope.members.create(newMember('linus@example.net')),
        'TETHER_E_CONFLICT',
      );
      expect(await scope.members.count()).to.equal(1);
    });

    it('allows the same e-mail in two tenants, each finding its own member', async () => {
      const a = await scopeOfNewTenant('same-mail-a');
      const b = await scopeOfNewTenant('same-mail-b');
      const inA = await a.members.create(newMember('shared@example.com'));
      const inB = await b.members.create(newMember('Shared@Example.com'));
      expect(inB.id).to.not.equal(inA.id);
      expect((await a.members.findByEmail('shared@example.com'))?.id).to.equal(inA.id);
      expect((await b.members.findByEmail('shared@example.com'))?.id).to.equal(inB.id);
    });

    it('counts and lists only the members of its own tenant', async () => {
      const a = await scopeOfNewTenant('confined-a');
      const b = await scopeOfNewTenant('confined-b');
      for (const email of ['one@a.test', 'two@a.test', 'three@a.test']) {
        await a.members.create(newMember(email));
      }
      const onlyB = await b.members.create(newMember('one@b.test'));
      expect(await a.members.count()).to.equal(3);
      expect(await b.members.count()).to.equal(1);
      const listedA = (await a.members.list()).items;
      expect(listedA.map((m) => m.email).sort()).to.deep.equal([
        'one@a.test',
        'three@a.test',
        'two@a.test',
      ]);
      expect(listedA.every((m) => m.tenantId === a.tenantId)).to.equal(true);
      expect((await b.members.list()).items).to.deep.equal([onlyB]);
    });

    it("hides a member of tenant A from tenant B's scope, by id and by e-mail", async () => {
      const a = await scopeOfNewTenant('hidden-a');
      const b = await scopeOfNewTenant('hidden-b');
      const member = await a.members.create(newMember('secret-agent@a.test'));
      expect(await a.members.findById(member.id)).to.deep.equal(member);
      expect(await b.members.findById(member.id)).to.equal(undefined);
      expect(await b.members.findByEmail('secret-agent@a.test')).to.equal(undefined);
      expect(await b.members.count()).to.equal(0);
    });

    it('answers findById with undefined for a string that is not a UUID', async () => {
      const scope = await scopeOfNewTenant('member-id');
      await scope.members.create(newMember('present@example.com'));
      for (const id of ['not-a-uuid', '', "x' OR '1'='1"]) {
        expect(await scope.members.findById(id), id).to.equal(undefined);
      }
    });

    it('walks the members in order of lower-cased e-mail with limit and next', async () => {
      const scope = await scopeOfNewTenant('member-pages');
      const emails = ['alpha@x.io', 'Delta@x.io', 'charlie@x.io', 'Bravo@x.io', 'echo@x.io'];
      for (const email of emails) await scope.members.create(newMember(email));
      const pages = await walkPages((page) => scope.members.list(page), 2, 5);
      expect(pages.map((page) => page.length)).to.deep.equal([2, 2, 1]);
      expect(pages.flat().map((m) => m.email)).to.deep.equal([
        'alpha@x.io',
        'Bravo@x.io',
        'charlie@x.io',
        'Delta@x.io',
        'echo@x.io',
      ]);
    });

    it('rejects a bad limit or a cursor it never handed out with TETHER_E_VALIDATION', async () => {
      const scope = await scopeOfNewTenant('member-paging-input');
      await scope.members.create(newMember('someone@example.com'));
      await expectRejects(() => scope.members.list({ limit: 0 }), 'TETHER_E_VALIDATION');
      await expectRejects(() => scope.members.list({ limit: 501 }), 'TETHER_E_VALIDATION');
      for (const after of GARBAGE_CURSORS) {
        const error = await rejectionOf(() => scope.members.list({ after }));
        expect(error, `cursor ${after}`).to.have.property('code', 'TETHER_E_VALIDATION');
      }
    });
  });
}
