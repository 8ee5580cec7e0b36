import { DataTypes, type QueryInterface } from 'sequelize';
import { ownedBy } from './columns.js';

/** Technician groups (the organisation tree), their permission settings, administrators' reach. */
export const name = '0003-organisation';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable('groups', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenant_id: ownedBy('tenants'),
    parent_id: { type: DataTypes.UUID, allowNull: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex('groups', ['tenant_id', 'parent_id'], { name: 'groups_parent' });
  await db.createTable('group_permissions', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    group_id: ownedBy('groups', { primaryKey: true }),
    permission: { type: DataTypes.STRING(100), primaryKey: true },
    allowed: { type: DataTypes.BOOLEAN, allowNull: true },
    locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  await db.createTable('admin_scopes', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    member_id: ownedBy('members', { primaryKey: true }),
    group_id: ownedBy('groups', { primaryKey: true }),
  });
  await db.addColumn('members', 'group_id', { type: DataTypes.UUID, allowNull: true });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.removeColumn('members', 'group_id');
  await db.dropTable('admin_scopes');
  await db.dropTable('group_permissions');
  await db.dropTable('groups');
}
