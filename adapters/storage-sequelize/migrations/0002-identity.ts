import { DataTypes, type QueryInterface } from 'sequelize';
import { ownedBy } from './columns.js';

/** Credentials and state of members, sign-in sessions, tenant policies and the audit log. */
export const name = '0002-identity';

async function addMemberColumns(db: QueryInterface): Promise<void> {
  const columns = {
    password_hash: { type: DataTypes.STRING(255), allowNull: true },
    password_changed_at: { type: DataTypes.DATE, allowNull: true },
    must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    failed_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    locked_at: { type: DataTypes.DATE, allowNull: true },
    second_factor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'none' },
    totp_secret: { type: DataTypes.TEXT, allowNull: true },
    totp_last_step: { type: DataTypes.BIGINT, allowNull: true },
    phone: { type: DataTypes.STRING(32), allowNull: true },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    last_sign_in_at: { type: DataTypes.DATE, allowNull: true },
  };
  for (const [column, definition] of Object.entries(columns)) {
    await db.addColumn('members', column, definition);
  }
}

async function createSignIns(db: QueryInterface): Promise<void> {
  await db.createTable('sign_in_sessions', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenant_id: ownedBy('tenants'),
    member_id: ownedBy('members'),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    client: { type: DataTypes.STRING(16), allowNull: false },
    state: { type: DataTypes.STRING(32), allowNull: false },
    csrf_hash: { type: DataTypes.STRING(64), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    last_seen_at: { type: DataTypes.DATE, allowNull: false },
    authenticated_at: { type: DataTypes.DATE, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
    pending: { type: DataTypes.TEXT, allowNull: true },
  });
  await db.addIndex('sign_in_sessions', ['tenant_id', 'member_id'], { name: 'sign_ins_member' });
}

async function createPolicies(db: QueryInterface): Promise<void> {
  await db.createTable('tenant_policies', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    policy: { type: DataTypes.TEXT, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
}

async function createAudit(db: QueryInterface): Promise<void> {
  await db.createTable('audit_events', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    seq: { type: DataTypes.BIGINT, primaryKey: true },
    at: { type: DataTypes.DATE, allowNull: false },
    action: { type: DataTypes.STRING(100), allowNull: false },
    actor_kind: { type: DataTypes.STRING(16), allowNull: false },
    actor_id: { type: DataTypes.STRING(64), allowNull: true },
    actor_label: { type: DataTypes.STRING(320), allowNull: true },
    target_kind: { type: DataTypes.STRING(64), allowNull: true },
    target_id: { type: DataTypes.STRING(64), allowNull: true },
    node_id: { type: DataTypes.STRING(64), allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
    before: { type: DataTypes.TEXT, allowNull: true },
    after: { type: DataTypes.TEXT, allowNull: true },
    details: { type: DataTypes.TEXT, allowNull: true },
    prev_hash: { type: DataTypes.STRING(64), allowNull: false },
    hash: { type: DataTypes.STRING(64), allowNull: false },
  });
  await db.addIndex('audit_events', ['tenant_id', 'at'], { name: 'audit_events_at' });
  await db.createTable('audit_heads', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    seq: { type: DataTypes.BIGINT, allowNull: false },
    hash: { type: DataTypes.STRING(64), allowNull: false },
  });
  await forbidAuditChanges(db);
}

/** The database itself refuses to change or delete audit rows, on the dialects that can say so. */
async function forbidAuditChanges(db: QueryInterface): Promise<void> {
  const dialect = db.sequelize.getDialect();
  if (dialect === 'sqlite') {
    for (const event of ['UPDATE', 'DELETE']) {
      await db.sequelize.query(
        `CREATE TRIGGER audit_events_no_${event.toLowerCase()} BEFORE ${event} ON audit_events
         BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
      );
    }
  } else if (dialect === 'postgres') {
    await db.sequelize.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`);
    await db.sequelize.query(`CREATE TRIGGER audit_events_append_only
      BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
  } else if (dialect === 'mssql') {
    await db.sequelize.query(`CREATE TRIGGER audit_events_append_only ON audit_events
      INSTEAD OF UPDATE, DELETE AS THROW 50000, 'audit_events is append-only', 1;`);
  }
}

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await addMemberColumns(db);
  await createSignIns(db);
  await createPolicies(db);
  await createAudit(db);
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('audit_heads');
  await db.dropTable('audit_events');
  if (db.sequelize.getDialect() === 'postgres') {
    await db.sequelize.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
  }
  await db.dropTable('tenant_policies');
  await db.dropTable('sign_in_sessions');
  for (const column of [
    'password_hash',
    'password_changed_at',
    'must_change_password',
    'failed_attempts',
    'locked_at',
    'second_factor',
    'totp_secret',
    'totp_last_step',
    'phone',
    'disabled',
    'last_sign_in_at',
  ]) {
    await db.removeColumn('members', column);
  }
}
