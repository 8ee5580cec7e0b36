import type { ApiKeyRepository, SsoAssertionRepository } from './storage/access-repositories.js';
import type { AttemptWindowRepository } from './storage/attempt-window-repository.js';
import type { AuditRecordRepository } from './storage/audit-record-repository.js';
import type { GroupRepository } from './storage/group-repository.js';
import type { MemberRepository } from './storage/member-repository.js';
import type { PluginRecordRepository } from './storage/plugin-record-repository.js';
import type { SignInSessionRepository } from './storage/sign-in-session-repository.js';
import type {
  SessionLocator,
  SupportSessionRepository,
} from './storage/support-session-repository.js';
import type { TenantDirectory, TenantId } from './storage/tenant-directory.js';
import type { TenantPolicyRepository } from './storage/tenant-policy-repository.js';

export * from './storage/access-repositories.js';
export * from './storage/attempt-window-repository.js';
export * from './storage/audit-record-repository.js';
export * from './storage/group-repository.js';
export * from './storage/member-repository.js';
export * from './storage/paging.js';
export * from './storage/plugin-record-repository.js';
export * from './storage/sign-in-session-repository.js';
export * from './storage/support-session-repository.js';
export * from './storage/tenant-directory.js';
export * from './storage/tenant-policy-repository.js';

/** Every repository of one tenant. There is no way to reach tenant-owned rows without one. */
export interface TenantScope {
  readonly tenantId: TenantId;
  readonly members: MemberRepository;
  readonly groups: GroupRepository;
  readonly signIns: SignInSessionRepository;
  readonly policy: TenantPolicyRepository;
  readonly audit: AuditRecordRepository;
  readonly ssoAssertions: SsoAssertionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly sessions: SupportSessionRepository;
  /** The records of the plugin named `plugin`. */
  pluginRecords(plugin: string): PluginRecordRepository;
}

/** The work a transaction may do: the same repositories, bound to the transaction. */
export interface StorageUnit {
  readonly tenants: TenantDirectory;
  forTenant(tenantId: TenantId): TenantScope;
}

/**
 * The engine's relational storage (SQLite, PostgreSQL or SQL Server behind Sequelize).
 *
 * Promises: tenant-owned data is reachable only through `forTenant`, whose repositories add the
 * tenant to every query; `transaction` commits all or nothing; failures reject with a
 * TetherError (TETHER_E_CONFLICT for a unique clash, TETHER_E_STORAGE otherwise).
 */
export interface Storage extends StorageUnit {
  /** Which database is underneath. */
  readonly dialect: 'sqlite' | 'postgres' | 'mssql';
  /** The cross-tenant session lookups, which reveal only where a session lives. */
  readonly sessionLocator: SessionLocator;
  /** Attempt counts that every node shares (rate limits on unauthenticated routes). */
  readonly attemptWindows: AttemptWindowRepository;
  /** Applies pending migrations and returns their names, oldest first. */
  migrate(): Promise<string[]>;
  /** Names of the migrations not yet applied. */
  pendingMigrations(): Promise<string[]>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (unit: StorageUnit) => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** Token of the {@link Storage} contract. */
export const Storage = Symbol.for('tether.Storage');
