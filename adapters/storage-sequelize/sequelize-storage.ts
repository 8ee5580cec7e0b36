import { BaseError, type Sequelize, type Transaction } from 'sequelize';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import type {
  AttemptWindowRepository,
  SessionLocator,
  Storage,
  StorageUnit,
  TenantDirectory,
  TenantId,
  TenantScope,
} from '../../engine/contracts/storage-contract.js';
import { PLUGIN_NAME_PATTERN } from '../../engine/contracts/plugin-contract.js';
import { ProgrammerError, TetherError } from '../../engine/errors.js';
import type { Dialect } from './connect-database.js';
import { SequelizeApiKeyRepository } from './api-key-repository.js';
import { SequelizeAttemptWindowRepository } from './attempt-window-repository.js';
import { SequelizeAuditRecordRepository } from './audit-record-repository.js';
import { SequelizeSsoAssertionRepository } from './sso-assertion-repository.js';
import { SequelizeGroupRepository } from './group-repository.js';
import { SequelizeMemberRepository } from './member-repository.js';
import { SequelizeSignInSessionRepository } from './sign-in-session-repository.js';
import { SequelizeSessionLocator } from './session-locator.js';
import { SequelizeSupportSessionRepository } from './support-session-repository.js';
import { SequelizeTenantPolicyRepository } from './tenant-policy-repository.js';
import { MigrationRunner } from './migration-runner.js';
import { SequelizePluginRecordRepository } from './plugin-record-repository.js';
import { guarded, storageError } from './storage-errors.js';
import { defineModels, type StorageModels } from './storage-models.js';
import { SequelizeTenantDirectory } from './tenant-directory.js';
import { isUuid } from './text-checks.js';

/** The repositories of one unit of work, in or out of a transaction. */
function unitOf(models: StorageModels, transaction?: Transaction): StorageUnit {
  return {
    tenants: new SequelizeTenantDirectory(models, transaction),
    forTenant(tenantId: TenantId): TenantScope {
      if (!isUuid(tenantId)) {
        throw new TetherError('TETHER_E_TENANT_REQUIRED', 'forTenant needs a tenant id');
      }
      return {
        tenantId,
        members: new SequelizeMemberRepository(models, tenantId, transaction),
        groups: new SequelizeGroupRepository(models, tenantId, transaction),
        signIns: new SequelizeSignInSessionRepository(models, tenantId, transaction),
        policy: new SequelizeTenantPolicyRepository(models, tenantId, transaction),
        audit: new SequelizeAuditRecordRepository(models, tenantId, transaction),
        ssoAssertions: new SequelizeSsoAssertionRepository(models, tenantId, transaction),
        apiKeys: new SequelizeApiKeyRepository(models, tenantId, transaction),
        sessions: new SequelizeSupportSessionRepository(models, tenantId, transaction),
        pluginRecords(plugin) {
          if (!PLUGIN_NAME_PATTERN.test(plugin)) {
            throw new ProgrammerError(`bad plugin name ${plugin.slice(0, 120)}`);
          }
          return new SequelizePluginRecordRepository(models, tenantId, plugin, transaction);
        },
      };
    },
  };
}

/** The Storage contract on Sequelize: SQLite, PostgreSQL or SQL Server. */
export class SequelizeStorage implements Storage {
  readonly tenants: TenantDirectory;
  readonly sessionLocator: SessionLocator;
  readonly attemptWindows: AttemptWindowRepository;
  private readonly models: StorageModels;
  private readonly migrations: MigrationRunner;
  private readonly unit: StorageUnit;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly sequelize: Sequelize,
    readonly dialect: Dialect,
    logger: Logger,
  ) {
    this.models = defineModels(sequelize);
    this.migrations = new MigrationRunner(sequelize, dialect, logger);
    this.unit = unitOf(this.models);
    this.tenants = this.unit.tenants;
    this.sessionLocator = new SequelizeSessionLocator(this.models);
    this.attemptWindows = new SequelizeAttemptWindowRepository(this.models);
  }

  forTenant(tenantId: TenantId): TenantScope {
    return this.unit.forTenant(tenantId);
  }

  migrate(): Promise<string[]> {
    return guarded('migrate', () => this.migrations.up());
  }

  pendingMigrations(): Promise<string[]> {
    return guarded('migrations', () => this.migrations.pending());
  }

  ping(): Promise<void> {
    return guarded('ping', async () => {
      await this.sequelize.query('SELECT 1');
    });
  }

  /** The work's own errors come out unchanged; only the database's are mapped. */
  async transaction<T>(work: (unit: StorageUnit) => Promise<T>): Promise<T> {
    try {
      return await this.sequelize.transaction((transaction) =>
        work(unitOf(this.models, transaction)),
      );
    } catch (error) {
      throw error instanceof BaseError ? storageError('transaction', error) : error;
    }
  }

  /** Closes the connections; closing again does nothing. */
  async close(): Promise<void> {
    this.closing ??= guarded('close', () => this.sequelize.close());
    return this.closing;
  }
}
