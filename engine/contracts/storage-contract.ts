import type { JsonValue } from './json-value.js';

/** A tenant's id (a UUID). Branded so that a stray string cannot stand in for one. */
export type TenantId = string & { readonly __tenantId: unique symbol };

/** One customer account; everything else the engine stores belongs to exactly one tenant. */
export interface Tenant {
  readonly id: TenantId;
  readonly name: string;
  readonly createdAt: Date;
}

/** The roles of the organisation tree, from the top down. */
export type MemberRole =
  'master-account-holder' | 'master-administrator' | 'administrator' | 'technician';

/** A person who signs in to a tenant. Secrets never leave the repository. */
export interface Member {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly email: string;
  readonly displayName: string;
  readonly role: MemberRole;
  readonly createdAt: Date;
}

/** What is needed to create a member; `oneTimeSecretHash` is a SHA-256 hex digest. */
export interface NewMember {
  readonly email: string;
  readonly displayName: string;
  readonly role: MemberRole;
  readonly oneTimeSecretHash?: string;
  readonly oneTimeSecretExpiresAt?: Date;
}

/** A page of results and the cursor for the next one (absent on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
}

/** Paging of a list: at most `limit` items (1 to 500) after the opaque cursor `after`. */
export interface PageRequest {
  readonly limit?: number;
  readonly after?: string;
}

/**
 * The tenants themselves: the one repository that is not inside a tenant. Promises: names are
 * unique (case-sensitive); `create` of a taken name rejects with TETHER_E_CONFLICT.
 */
export interface TenantDirectory {
  create(name: string): Promise<Tenant>;
  findById(id: string): Promise<Tenant | undefined>;
  findByName(name: string): Promise<Tenant | undefined>;
  list(page?: PageRequest): Promise<Page<Tenant>>;
  count(): Promise<number>;
}

/**
 * Members of one tenant. Promises: every read and write is confined to the tenant the repository
 * was made for; e-mail addresses are unique within a tenant, compared case-insensitively.
 */
export interface MemberRepository {
  create(member: NewMember): Promise<Member>;
  findById(id: string): Promise<Member | undefined>;
  findByEmail(email: string): Promise<Member | undefined>;
  list(page?: PageRequest): Promise<Page<Member>>;
  count(): Promise<number>;
}

/** A record a plugin keeps: a JSON value under (kind, key). */
export interface PluginRecord {
  readonly kind: string;
  readonly key: string;
  readonly value: JsonValue;
  readonly updatedAt: Date;
}

/**
 * A plugin's own records inside one tenant, keyed by (kind, key). Promises: a plugin sees only
 * its own records of that tenant; `put` replaces; listing is ordered by key.
 */
export interface PluginRecordRepository {
  put(kind: string, key: string, value: JsonValue): Promise<void>;
  get(kind: string, key: string): Promise<PluginRecord | undefined>;
  list(kind: string, page?: PageRequest): Promise<Page<PluginRecord>>;
  delete(kind: string, key: string): Promise<boolean>;
}

/** Every repository of one tenant. There is no way to reach tenant-owned rows without one. */
export interface TenantScope {
  readonly tenantId: TenantId;
  readonly members: MemberRepository;
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
