import { DataTypes, type QueryInterface } from 'sequelize';

/** Technician groups (the organisation tree), their permission settings, administrators' reach. */
export const name = '0003-organisation';

const tenantColumn = {
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'tenants', key: 'id' },
  onDelete: 'CASCADE',
};

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable('groups', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenant_id: tenantColumn,
    parent_id: { type: DataTypes.UUID, allowNull: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex('groups', ['tenant_id', 'parent_id'], { name: 'groups_parent' });
  await db.createTable('group_permissions', {
    tenant_id: { ...tenantColumn, primaryKey: true },
    group_id: {
      type: DataTypes.UUID,
      primaryKey: true,
      references: { model: 'groups', key: 'id' },
      onDelete: 'CASCADE',
    },
    permission: { type: DataTypes.STRING(100), primaryKey: true },
    allowed: { type: DataTypes.BOOLEAN, allowNull: true },
    locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  await db.createTable('admin_scopes', {
    tenant_id: { ...tenantColumn, primaryKey: true },
    member_id: {
      type: DataTypes.UUID,
      primaryKey: true,
      references: { model: 'members', key: 'id' },
      onDelete: 'CASCADE',
    },
    group_id: {
      type: DataTypes.UUID,
      primaryKey: true,
      references: { model: 'groups', key: 'id' },
      onDelete: 'CASCADE',
    },
  });
  await db.addColumn('members', 'group_id', { type: DataTypes.UUID, allowNull: true });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.removeColumn('members', 'group_id');
  await db.dropTable('admin_scopes');
  await db.dropTable('group_permissions');
  await db.dropTable('groups');
}
