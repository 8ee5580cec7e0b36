import { DataTypes, type QueryInterface } from 'sequelize';
import { ownedBy } from './columns.js';

/** Single sign-on ids of members, SAML assertions already used, and integrators' API keys. */
export const name = '0004-access';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.addColumn('members', 'sso_id', { type: DataTypes.STRING(200), allowNull: true });
  await db.addColumn('members', 'sso_disabled', {
    type: DataTypes.BOOLEAN,
    allowNull: false,
    defaultValue: false,
  });
  await db.addIndex('members', ['tenant_id', 'sso_id'], { name: 'members_sso_id' });
  await db.createTable('sso_assertions', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    assertion_id: { type: DataTypes.STRING(200), primaryKey: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
  });
  await db.createTable('api_keys', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenant_id: ownedBy('tenants'),
    member_id: ownedBy('members'),
    name: { type: DataTypes.STRING(200), allowNull: false },
    scopes: { type: DataTypes.TEXT, allowNull: false },
    key_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    last_used_at: { type: DataTypes.DATE, allowNull: true },
  });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('api_keys');
  await db.dropTable('sso_assertions');
  await db.removeIndex('members', 'members_sso_id');
  await db.removeColumn('members', 'sso_disabled');
  await db.removeColumn('members', 'sso_id');
}
