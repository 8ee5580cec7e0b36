import { expect } from 'chai';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { TetherError } from '../../../engine/errors.js';
import { expectCode, rejectionOf, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

const member = { email: 'inside@example.com', displayName: 'Inside', role: 'technician' } as const;

export function transactionSpecs(context: SuiteContext): void {
  describe('transaction', () => {
    it('commits the work when it resolves, and resolves with its result', async () => {
      const { storage } = context;
      const name = uniqueName('committed');
      const result = await storage.transaction(async (unit) => {
        const tenant = await unit.tenants.create(name);
        const created = await unit.forTenant(tenant.id).members.create(member);
        await unit.forTenant(tenant.id).pluginRecords('p').put('note', 'k', 'v');
        expect((await unit.tenants.findByName(name))?.id, 'sees its own writes').to.equal(
          tenant.id,
        );
        return { tenantId: tenant.id, memberId: created.id };
      });
      expect((await storage.tenants.findById(result.tenantId))?.name).to.equal(name);
      const scope = storage.forTenant(result.tenantId);
      expect((await scope.members.findById(result.memberId))?.email).to.equal(member.email);
      expect((await scope.pluginRecords('p').get('note', 'k'))?.value).to.equal('v');
    });

    it('rolls back everything the work did when it throws, and passes its error on', async () => {
      const { storage } = context;
      const name = uniqueName('rolled-back');
      const tenantsBefore = await storage.tenants.count();
      const thrown = new TetherError('TETHER_E_VALIDATION', 'changed my mind');
      let made: { tenantId: TenantId; memberId: string } | undefined;
      const error = await rejectionOf(() =>
        storage.transaction(async (unit) => {
          const tenant = await unit.tenants.create(name);
          const created = await unit.forTenant(tenant.id).members.create(member);
          await unit.forTenant(tenant.id).pluginRecords('p').put('note', 'k', 'v');
          made = { tenantId: tenant.id, memberId: created.id };
          throw thrown;
        }),
      );
      expect(error).to.equal(thrown);
      expectCode(error, 'TETHER_E_VALIDATION');
      expect(made, 'the work ran up to the throw').to.not.equal(undefined);
      const { tenantId, memberId } = made as { tenantId: TenantId; memberId: string };
      expect(await storage.tenants.findByName(name)).to.equal(undefined);
      expect(await storage.tenants.findById(tenantId)).to.equal(undefined);
      expect(await storage.forTenant(tenantId).members.findById(memberId)).to.equal(undefined);
      expect(await storage.forTenant(tenantId).members.count()).to.equal(0);
      expect(await storage.forTenant(tenantId).pluginRecords('p').get('note', 'k')).to.equal(
        undefined,
      );
      expect(await storage.tenants.count()).to.equal(tenantsBefore);
    });

    it('rolls back earlier work on a unique clash inside, with TETHER_E_CONFLICT', async () => {
      const { storage } = context;
      const taken = uniqueName('taken-outside');
      await storage.tenants.create(taken);
      const fresh = uniqueName('fresh-inside');
      const error = await rejectionOf(() =>
        storage.transaction(async (unit) => {
          await unit.tenants.create(fresh);
          await unit.tenants.create(taken);
        }),
      );
      expectCode(error, 'TETHER_E_CONFLICT');
      expect(await storage.tenants.findByName(fresh)).to.equal(undefined);
      expect(await storage.tenants.findByName(taken)).to.not.equal(undefined);
    });

    it('rolls back when the work throws a plain error, which comes out as the cause', async () => {
      const { storage } = context;
      const name = uniqueName('plain-error');
      const thrown = new Error('not a TetherError');
      const error = await rejectionOf(() =>
        storage.transaction(async (unit) => {
          await unit.tenants.create(name);
          throw thrown;
        }),
      );
      expect(error === thrown || (error as Error).cause === thrown, String(error)).to.equal(true);
      expect(await storage.tenants.findByName(name)).to.equal(undefined);
    });

    it('leaves the storage usable after a rollback', async () => {
      const { storage } = context;
      await rejectionOf(() =>
        storage.transaction(async () => {
          throw new TetherError('TETHER_E_VALIDATION');
        }),
      );
      const name = uniqueName('after-rollback');
      await storage.transaction((unit) => unit.tenants.create(name));
      expect((await storage.tenants.findByName(name))?.name).to.equal(name);
    });
  });
}
