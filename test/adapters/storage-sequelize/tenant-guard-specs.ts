import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { connectDatabase } from '../../../adapters/storage-sequelize/connect-database.js';
import { MigrationRunner } from '../../../adapters/storage-sequelize/migration-runner.js';
import {
  defineModels,
  type StorageModels,
} from '../../../adapters/storage-sequelize/storage-models.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { expectCode, expectRejects, silentLogger, uniqueName } from './storage-fixtures.js';
import type { SuiteContext } from './storage-suite.js';

/**
 * The hooks of `defineModels` are the last line of tenant separation: a query written by hand
 * on a tenant-owned model without a tenant id must be refused. The models are defined on a
 * connection of the spec's own (migrated first, which on a shared database applies nothing),
 * and every refusal is paired with a query naming the tenant that does go through.
 */
export function tenantGuardSpecs(context: SuiteContext): void {
  describe('tenant separation guard (defineModels)', () => {
    let connection: ReturnType<typeof connectDatabase> | undefined;
    let models: StorageModels;
    let tenantId: string;
    let memberId: string;

    const memberRow = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
      const email = `${uniqueName('guard')}@example.com`;
      return {
        id: randomUUID(),
        email,
        emailNormalized: email,
        displayName: 'Guarded',
        role: 'technician',
        createdAt: new Date(),
        ...extra,
      };
    };
    const membersOfTenant = () => models.members.count({ where: { tenantId } });

    before(async () => {
      connection = connectDatabase(context.target, silentLogger);
      await new MigrationRunner(connection, context.fixture.dialect, silentLogger).up();
      models = defineModels(connection);
      tenantId = randomUUID();
      await models.tenants.create({
        id: tenantId,
        name: uniqueName('guard'),
        createdAt: new Date(),
      });
      memberId = (await models.members.create(memberRow({ tenantId }))).get('id') as string;
    });

    after(async () => {
      await connection?.close();
    });

    it('lets a query through that names the tenant', async () => {
      expect(await models.members.findAll({ where: { tenantId } })).to.have.length(1);
      expect(await membersOfTenant()).to.equal(1);
      const record = {
        tenantId,
        plugin: 'p',
        kind: 'k',
        key: 'x',
        value: '1',
        updatedAt: new Date(),
      };
      await models.pluginRecords.upsert(record);
      expect(await models.pluginRecords.count({ where: { tenantId } })).to.equal(1);
      const where = { tenantId, plugin: 'p', kind: 'k', key: 'x' };
      expect(await models.pluginRecords.destroy({ where })).to.equal(1);
      expect(await models.members.destroy({ where: { tenantId, id: randomUUID() } })).to.equal(0);
      expect(await membersOfTenant()).to.equal(1);
    });

    it('refuses findAll, findOne and findByPk on members without a tenant id', async () => {
      await expectRejects(() => models.members.findAll({}), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(() => models.members.findAll(), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(
        () => models.members.findOne({ where: { id: memberId } }),
        'TETHER_E_TENANT_REQUIRED',
      );
      await expectRejects(() => models.members.findByPk(memberId), 'TETHER_E_TENANT_REQUIRED');
    });

    it('refuses a where whose tenant id is not one string (a list or null)', async () => {
      const other = randomUUID();
      await expectRejects(
        () => models.members.findAll({ where: { tenantId: [tenantId, other] } }),
        'TETHER_E_TENANT_REQUIRED',
      );
      await expectRejects(
        () => models.members.findAll({ where: { tenantId: null } }),
        'TETHER_E_TENANT_REQUIRED',
      );
    });

    it('refuses count on members without a tenant id', async () => {
      await expectRejects(() => models.members.count({}), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(() => models.members.count(), 'TETHER_E_TENANT_REQUIRED');
    });

    it('refuses destroy with an empty where, and deletes nothing', async () => {
      await expectRejects(() => models.members.destroy({ where: {} }), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(
        () => models.members.destroy({ where: { id: memberId } }),
        'TETHER_E_TENANT_REQUIRED',
      );
      expect(await membersOfTenant()).to.equal(1);
    });

    it('refuses update with an empty where, validated or not, and changes nothing', async () => {
      await expectRejects(
        () => models.members.update({ displayName: 'Changed' }, { where: {} }),
        'TETHER_E_TENANT_REQUIRED',
      );
      await expectRejects(
        () => models.members.update({ displayName: 'Changed' }, { where: {}, validate: false }),
        'TETHER_E_TENANT_REQUIRED',
      );
      const row = await models.members.findOne({ where: { tenantId, id: memberId } });
      expect(row?.get('displayName')).to.equal('Guarded');
    });

    it('lets a validated update through when its where names the tenant', async () => {
      await models.members.update(
        { displayName: 'Renamed' },
        { where: { tenantId, id: memberId } },
      );
      const row = await models.members.findOne({ where: { tenantId, id: memberId } });
      expect(row?.get('displayName')).to.equal('Renamed');
      await models.members.update(
        { displayName: 'Guarded' },
        { where: { tenantId, id: memberId } },
      );
    });

    it('refuses create of a member without a tenant id, and stores nothing', async () => {
      const countBefore = await membersOfTenant();
      await expectRejects(() => models.members.create(memberRow()), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(
        () => models.members.create(memberRow({ tenantId: undefined })),
        'TETHER_E_TENANT_REQUIRED',
      );
      expect(await membersOfTenant()).to.equal(countBefore);
    });

    it('guards the plugin records too: find, count, destroy and upsert', async () => {
      const { pluginRecords } = models;
      await expectRejects(() => pluginRecords.findAll({}), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(() => pluginRecords.count({}), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(() => pluginRecords.destroy({ where: {} }), 'TETHER_E_TENANT_REQUIRED');
      await expectRejects(
        () =>
          pluginRecords.upsert({
            plugin: 'p',
            kind: 'k',
            key: 'y',
            value: '1',
            updatedAt: new Date(),
          }),
        'TETHER_E_TENANT_REQUIRED',
      );
    });

    it('refuses forTenant with something that is not a tenant id', () => {
      for (const id of ['not-a-uuid', '', `${randomUUID()} `, undefined, 42]) {
        const call = () => context.storage.forTenant(id as unknown as TenantId);
        let thrown: unknown;
        try {
          call();
        } catch (error) {
          thrown = error;
        }
        expectCode(thrown, 'TETHER_E_TENANT_REQUIRED');
      }
    });

    it('refuses forTenant with a bad id inside a transaction as well', async () => {
      await expectRejects(
        () =>
          context.storage.transaction(async (unit) => {
            unit.forTenant('not-a-uuid' as TenantId);
          }),
        'TETHER_E_TENANT_REQUIRED',
      );
    });
  });
}
