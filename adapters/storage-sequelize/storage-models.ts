import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { TetherError } from '../../engine/errors.js';

/** A row as Sequelize hands it over; repositories turn rows into contract types. */
export type Row = Model<Record<string, unknown>, Record<string, unknown>>;

/** The models. They never leave this adapter: the engine sees only the Storage contract. */
export interface StorageModels {
  readonly tenants: ModelStatic<Row>;
  readonly members: ModelStatic<Row>;
  readonly pluginRecords: ModelStatic<Row>;
  readonly pluginRecordTags: ModelStatic<Row>;
  readonly signIns: ModelStatic<Row>;
  readonly policies: ModelStatic<Row>;
  readonly auditEvents: ModelStatic<Row>;
  readonly auditHeads: ModelStatic<Row>;
  readonly groups: ModelStatic<Row>;
  readonly groupPermissions: ModelStatic<Row>;
  readonly adminScopes: ModelStatic<Row>;
  readonly ssoAssertions: ModelStatic<Row>;
  readonly apiKeys: ModelStatic<Row>;
  readonly supportSessions: ModelStatic<Row>;
  readonly sessionParticipants: ModelStatic<Row>;
  /** Not tenant-owned: rate-limit windows keyed by a digest. */
  readonly attemptWindows: ModelStatic<Row>;
}

/** Defines the models on `sequelize`, matching the migrations. */
export function defineModels(sequelize: Sequelize): StorageModels {
  const tenants = sequelize.define<Row>('tenant', {
    id: { type: DataTypes.UUID, primaryKey: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    createdAt: { type: DataTypes.DATE, allowNull: false },
  });
  const members = sequelize.define<Row>('member', {
    id: { type: DataTypes.UUID, primaryKey: true },
    tenantId: { type: DataTypes.UUID, allowNull: false },
    email: { type: DataTypes.STRING(320), allowNull: false },
    emailNormalized: { type: DataTypes.STRING(320), allowNull: false },
    displayName: { type: DataTypes.STRING(200), allowNull: false },
    role: { type: DataTypes.STRING(40), allowNull: false },
    oneTimeSecretHash: { type: DataTypes.STRING(64), allowNull: true },
    oneTimeSecretExpiresAt: { type: DataTypes.DATE, allowNull: true },
    createdAt: { type: DataTypes.DATE, allowNull: false },
    passwordHash: { type: DataTypes.STRING(255), allowNull: true },
    passwordChangedAt: { type: DataTypes.DATE, allowNull: true },
    mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    failedAttempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    lockedAt: { type: DataTypes.DATE, allowNull: true },
    secondFactor: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'none' },
    totpSecret: { type: DataTypes.TEXT, allowNull: true },
    totpLastStep: { type: DataTypes.BIGINT, allowNull: true },
    phone: { type: DataTypes.STRING(32), allowNull: true },
    disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    lastSignInAt: { type: DataTypes.DATE, allowNull: true },
    groupId: { type: DataTypes.UUID, allowNull: true },
    ssoId: { type: DataTypes.STRING(200), allowNull: true },
    ssoDisabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  const pluginRecords = sequelize.define<Row>(
    'pluginRecord',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      plugin: { type: DataTypes.STRING(100), primaryKey: true },
      kind: { type: DataTypes.STRING(64), primaryKey: true },
      key: { type: DataTypes.STRING(200), primaryKey: true },
      value: { type: DataTypes.TEXT, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
      at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'plugin_records' },
  );
  const pluginRecordTags = definePluginRecordTags(sequelize);
  const identity = defineIdentityModels(sequelize);
  const owned = [members, pluginRecords, pluginRecordTags, ...Object.values(identity)];
  for (const model of owned) guardTenant(model);
  const attemptWindows = defineAttemptWindows(sequelize);
  return { tenants, members, pluginRecords, pluginRecordTags, attemptWindows, ...identity };
}

function defineAttemptWindows(sequelize: Sequelize): ModelStatic<Row> {
  return sequelize.define<Row>(
    'attemptWindow',
    {
      subject: { type: DataTypes.STRING(64), primaryKey: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false },
      endsAtMs: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'attempt_windows' },
  );
}

function definePluginRecordTags(sequelize: Sequelize): ModelStatic<Row> {
  return sequelize.define<Row>(
    'pluginRecordTag',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      plugin: { type: DataTypes.STRING(100), primaryKey: true },
      kind: { type: DataTypes.STRING(64), primaryKey: true },
      tag: { type: DataTypes.STRING(200), primaryKey: true },
      key: { type: DataTypes.STRING(200), primaryKey: true },
      at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'plugin_record_tags' },
  );
}

function defineIdentityModels(sequelize: Sequelize) {
  const signIns = sequelize.define<Row>(
    'signIn',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      tenantId: { type: DataTypes.UUID, allowNull: false },
      memberId: { type: DataTypes.UUID, allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      client: { type: DataTypes.STRING(16), allowNull: false },
      state: { type: DataTypes.STRING(32), allowNull: false },
      csrfHash: { type: DataTypes.STRING(64), allowNull: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      lastSeenAt: { type: DataTypes.DATE, allowNull: false },
      authenticatedAt: { type: DataTypes.DATE, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      pending: { type: DataTypes.TEXT, allowNull: true },
    },
    { tableName: 'sign_in_sessions' },
  );
  const policies = sequelize.define<Row>(
    'tenantPolicy',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      policy: { type: DataTypes.TEXT, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'tenant_policies' },
  );
  return {
    signIns,
    policies,
    ...defineAuditModels(sequelize),
    ...defineOrganisationModels(sequelize),
    ...defineAccessModels(sequelize),
    ...defineSessionModels(sequelize),
  };
}

function defineOrganisationModels(sequelize: Sequelize) {
  // A fresh object each time: Sequelize writes into attribute definitions.
  const uuidKey = () => ({ type: DataTypes.UUID, primaryKey: true });
  const groups = sequelize.define<Row>('group', {
    id: uuidKey(),
    tenantId: { type: DataTypes.UUID, allowNull: false },
    parentId: { type: DataTypes.UUID, allowNull: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    createdAt: { type: DataTypes.DATE, allowNull: false },
    ipAllowList: { type: DataTypes.TEXT, allowNull: true },
  });
  const groupPermissions = sequelize.define<Row>(
    'groupPermission',
    {
      tenantId: uuidKey(),
      groupId: uuidKey(),
      permission: { type: DataTypes.STRING(100), primaryKey: true },
      allowed: { type: DataTypes.BOOLEAN, allowNull: true },
      locked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    { tableName: 'group_permissions' },
  );
  const adminScopes = sequelize.define<Row>(
    'adminScope',
    { tenantId: uuidKey(), memberId: uuidKey(), groupId: uuidKey() },
    { tableName: 'admin_scopes' },
  );
  return { groups, groupPermissions, adminScopes };
}

function defineAccessModels(sequelize: Sequelize) {
  const ssoAssertions = sequelize.define<Row>(
    'ssoAssertion',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      assertionId: { type: DataTypes.STRING(200), primaryKey: true },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'sso_assertions' },
  );
  const apiKeys = sequelize.define<Row>(
    'apiKey',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      tenantId: { type: DataTypes.UUID, allowNull: false },
      memberId: { type: DataTypes.UUID, allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      scopes: { type: DataTypes.TEXT, allowNull: false },
      keyHash: { type: DataTypes.STRING(64), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      lastUsedAt: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'api_keys' },
  );
  return { ssoAssertions, apiKeys };
}

function defineSessionModels(sequelize: Sequelize) {
  const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
  const date = () => ({ type: DataTypes.DATE, allowNull: true });
  const uuid = () => ({ type: DataTypes.UUID, allowNull: true });
  const supportSessions = sequelize.define<Row>(
    'supportSession',
    {
      ref: { type: DataTypes.STRING(16), primaryKey: true },
      guid: { type: DataTypes.STRING(32), allowNull: false },
      tenantId: { type: DataTypes.UUID, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      closeReason: text(40),
      ownerMemberId: uuid(),
      createdByMemberId: uuid(),
      groupId: uuid(),
      endUserName: text(200),
      joinCodeHash: text(64),
      joinCodeExpiresAt: date(),
      joinCodeUsedAt: date(),
      endUserLastSeenAt: date(),
      endUserDisconnectedAt: date(),
      relayedBytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      consent: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
      endedAt: date(),
    },
    { tableName: 'support_sessions' },
  );
  const sessionParticipants = sequelize.define<Row>(
    'sessionParticipant',
    {
      sessionRef: { type: DataTypes.STRING(16), primaryKey: true },
      participantId: { type: DataTypes.STRING(64), primaryKey: true },
      tenantId: { type: DataTypes.UUID, allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      memberId: uuid(),
      secretHash: text(64),
      joinedAt: date(),
      leftAt: date(),
      connections: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'session_participants' },
  );
  return { supportSessions, sessionParticipants };
}

function defineAuditModels(sequelize: Sequelize) {
  const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
  const auditEvents = sequelize.define<Row>(
    'auditEvent',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      seq: { type: DataTypes.BIGINT, primaryKey: true },
      at: { type: DataTypes.DATE, allowNull: false },
      action: { type: DataTypes.STRING(100), allowNull: false },
      actorKind: { type: DataTypes.STRING(16), allowNull: false },
      actorId: text(64),
      actorLabel: text(320),
      targetKind: text(64),
      targetId: text(64),
      nodeId: text(64),
      ip: text(64),
      before: { type: DataTypes.TEXT, allowNull: true },
      after: { type: DataTypes.TEXT, allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
      prevHash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    },
    { tableName: 'audit_events' },
  );
  const auditHeads = sequelize.define<Row>(
    'auditHead',
    {
      tenantId: { type: DataTypes.UUID, primaryKey: true },
      seq: { type: DataTypes.BIGINT, allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    },
    { tableName: 'audit_heads' },
  );
  return { auditEvents, auditHeads };
}

/**
 * The last line of tenant separation: a query on a tenant-owned model whose `where` (or whose
 * new row) lacks a tenant id is refused before it reaches the database. Repositories always set
 * it; this catches the query someone writes by hand some day.
 */
function guardTenant(model: ModelStatic<Row>): void {
  // `destroy` has renamed the where's attributes to their columns (tenant_id) before its hook.
  const column = model.getAttributes().tenantId?.field ?? 'tenantId';
  const requireWhere = (options: { where?: unknown }) => {
    const where = options.where as Record<string, unknown> | undefined;
    const named = typeof where?.tenantId === 'string' || typeof where?.[column] === 'string';
    if (!named) throw missingTenant(model.name);
  };
  model.addHook('beforeFind', requireWhere);
  model.addHook('beforeCount', requireWhere);
  model.addHook('beforeBulkUpdate', requireWhere);
  model.addHook('beforeBulkDestroy', requireWhere);
  model.addHook('beforeUpsert', (values: unknown) => {
    const tenantId = (values as Record<string, unknown>).tenantId;
    if (typeof tenantId !== 'string') throw missingTenant(model.name);
  });
  // A bulk update validates a partial row that skips the columns it does not set; its where is
  // checked above. A new row must carry its tenant.
  model.addHook('beforeValidate', (row: Row, options: { skip?: string[] }) => {
    if (options.skip?.includes('tenantId')) return;
    if (typeof row.get('tenantId') !== 'string') throw missingTenant(model.name);
  });
}

function missingTenant(model: string): TetherError {
  return new TetherError('TETHER_E_TENANT_REQUIRED', `A ${model} query was made without a tenant`);
}
