import { DataTypes, Op, type QueryInterface } from 'sequelize';
import { ownedBy } from './columns.js';

/** Support sessions, with their join codes (hashed), presence and consent record, and their
 * participants. Members and groups are referenced loosely: a session outlives both. */
export const name = '0006-sessions';

const optional = (type: DataTypes.DataType) => ({ type, allowNull: true });

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable('support_sessions', {
    ref: { type: DataTypes.STRING(16), primaryKey: true },
    guid: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    tenant_id: ownedBy('tenants'),
    state: { type: DataTypes.STRING(16), allowNull: false },
    close_reason: optional(DataTypes.STRING(40)),
    owner_member_id: optional(DataTypes.UUID),
    created_by_member_id: optional(DataTypes.UUID),
    group_id: optional(DataTypes.UUID),
    end_user_name: optional(DataTypes.STRING(200)),
    // NULL once used or closed; the partial index below keeps live codes unique.
    join_code_hash: optional(DataTypes.STRING(64)),
    join_code_expires_at: optional(DataTypes.DATE),
    join_code_used_at: optional(DataTypes.DATE),
    end_user_last_seen_at: optional(DataTypes.DATE),
    end_user_disconnected_at: optional(DataTypes.DATE),
    relayed_bytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    consent: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
    ended_at: optional(DataTypes.DATE),
  });
  // Partial, so that the NULLs of used codes never clash (SQL Server allows one NULL otherwise).
  await db.addIndex('support_sessions', ['join_code_hash'], {
    name: 'support_sessions_live_code',
    unique: true,
    where: { join_code_hash: { [Op.ne]: null } },
  });
  await db.addIndex('support_sessions', ['tenant_id', 'group_id', 'state'], {
    name: 'support_sessions_queue',
  });
  await db.addIndex('support_sessions', ['state', 'end_user_last_seen_at'], {
    name: 'support_sessions_presence',
  });
  await db.createTable('session_participants', {
    session_ref: {
      type: DataTypes.STRING(16),
      primaryKey: true,
      references: { model: 'support_sessions', key: 'ref' },
      onDelete: 'CASCADE',
    },
    participant_id: { type: DataTypes.STRING(64), primaryKey: true },
    tenant_id: ownedBy('tenants'),
    role: { type: DataTypes.STRING(16), allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    member_id: optional(DataTypes.UUID),
    secret_hash: optional(DataTypes.STRING(64)),
    joined_at: optional(DataTypes.DATE),
    left_at: optional(DataTypes.DATE),
  });
  await db.addIndex('session_participants', ['tenant_id', 'member_id'], {
    name: 'session_participants_member',
  });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('session_participants');
  await db.dropTable('support_sessions');
}
