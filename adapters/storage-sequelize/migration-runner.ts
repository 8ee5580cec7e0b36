import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import type { Dialect } from './connect-database.js';
import { MIGRATIONS } from './migrations/index.js';

const TABLE = 'tether_migrations';

/** umzug's events carry `name`, which would overwrite the logger's own name. */
function migrationFields(event: Record<string, unknown>): Record<string, unknown> {
  const { name, ...rest } = event;
  return { ...rest, migration: name };
}

/** Applies the schema migrations with umzug, recording them in `tether_migrations`. */
export class MigrationRunner {
  private readonly umzug: Umzug<ReturnType<Sequelize['getQueryInterface']>>;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
    logger: Logger,
  ) {
    this.umzug = new Umzug({
      migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up, down: m.down })),
      context: sequelize.getQueryInterface(),
      storage: new SequelizeStorage({ sequelize, tableName: TABLE }),
      logger: {
        info: (event) => logger.info(migrationFields(event), 'migration'),
        warn: (event) => logger.warn(migrationFields(event), 'migration'),
        error: (event) => logger.error(migrationFields(event), 'migration'),
        debug: (event) => logger.debug(migrationFields(event), 'migration'),
      },
    });
  }

  /** Names not applied yet. */
  async pending(): Promise<string[]> {
    return (await this.umzug.pending()).map((migration) => migration.name);
  }

  /**
   * Applies what is pending. On PostgreSQL an advisory lock, held by a transaction of its own
   * for the whole run, keeps two nodes that start together from migrating at the same time.
   */
  async up(): Promise<string[]> {
    if (this.dialect !== 'postgres') return this.apply();
    return this.sequelize.transaction(async (transaction) => {
      await this.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('tether:migrate'))", {
        transaction,
      });
      return this.apply();
    });
  }

  private async apply(): Promise<string[]> {
    return (await this.umzug.up()).map((migration) => migration.name);
  }
}
