import { DataTypes, type QueryInterface } from 'sequelize';

/** Tenants, their members and the plugins' records. */
export const name = '0001-initial';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable('tenants', {
    id: { type: DataTypes.UUID, primaryKey: true },
    name: { type: DataTypes.STRING(200), allowNull: false, unique: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.createTable('members', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenant_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'tenants', key: 'id' },
      onDelete: 'CASCADE',
    },
    email: { type: DataTypes.STRING(320), allowNull: false },
    email_normalized: { type: DataTypes.STRING(320), allowNull: false },
    display_name: { type: DataTypes.STRING(200), allowNull: false },
    role: { type: DataTypes.STRING(40), allowNull: false },
    one_time_secret_hash: { type: DataTypes.STRING(64), allowNull: true },
    one_time_secret_expires_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.addIndex('members', ['tenant_id', 'email_normalized'], {
    unique: true,
    name: 'members_tenant_email',
  });
  await db.createTable('plugin_records', {
    tenant_id: {
      type: DataTypes.UUID,
      primaryKey: true,
      references: { model: 'tenants', key: 'id' },
      onDelete: 'CASCADE',
    },
    plugin: { type: DataTypes.STRING(100), primaryKey: true },
    kind: { type: DataTypes.STRING(64), primaryKey: true },
    key: { type: DataTypes.STRING(200), primaryKey: true },
    value: { type: DataTypes.TEXT, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('plugin_records');
  await db.dropTable('members');
  await db.dropTable('tenants');
}
