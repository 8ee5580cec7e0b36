import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import { TetherError } from '../../engine/errors.js';

/** The databases Tether runs on. */
export type Dialect = 'sqlite' | 'postgres' | 'mssql';

/** What a connection is made from. */
export interface DatabaseTarget {
  /** `postgres://…`, `mssql://…` or `sqlite:PATH`; absent for the SQLite file in `dataDir`. */
  readonly url?: string;
  readonly dataDir: string;
}

/** Which dialect a URL names; SQLite when there is none. */
export function dialectOf(url: string | undefined): Dialect {
  if (url === undefined || url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('mssql://')) return 'mssql';
  throw new TetherError('TETHER_E_CONFIG', `invalid setting databaseUrl: unknown scheme`);
}

/**
 * Makes the Sequelize instance. SQLite keeps one file in the data folder (or the path of a
 * `sqlite:` URL, `sqlite::memory:` for memory); PostgreSQL and SQL Server take the URL as is.
 */
export function connectDatabase(target: DatabaseTarget, logger: Logger): Sequelize {
  const dialect = dialectOf(target.url);
  const common: Options = {
    logging: (sql: string) => logger.debug({ sql: sql.slice(0, 200) }, 'query'),
    define: { underscored: true, timestamps: false },
  };
  if (dialect === 'sqlite') {
    const storage = sqlitePath(target);
    const transactionType = Transaction.TYPES.IMMEDIATE;
    return configureSqlite(new Sequelize({ ...common, dialect, storage, transactionType }));
  }
  const url = target.url as string;
  if (dialect === 'mssql') {
    return new Sequelize(url, {
      ...common,
      dialect,
      dialectOptions: { options: { encrypt: true } },
    });
  }
  return new Sequelize(url, { ...common, dialect, pool: { max: 10, min: 0, idle: 10_000 } });
}

interface SqliteConnection {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, done: (error: Error | null) => void): void;
}

/**
 * Sequelize opens one SQLite connection per transaction, and its SQLite dialect never runs the
 * `afterConnect` hook (Sequelize 6.37), so each new connection is configured here: a busy
 * timeout, without which a second writer fails at once with SQLITE_BUSY instead of waiting its
 * turn, and WAL, so that readers go on while one writes. With IMMEDIATE transactions (set in
 * the options) a transaction takes the write lock before it reads. This wrapper can go once
 * the dialect runs `afterConnect`.
 */
function configureSqlite(sequelize: Sequelize): Sequelize {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options?: unknown): Promise<SqliteConnection>;
  };
  const open = manager.getConnection.bind(manager);
  const configured = new WeakSet<SqliteConnection>();
  manager.getConnection = async (options) => {
    const connection = await open(options);
    if (configured.has(connection)) return connection;
    configured.add(connection);
    connection.configure('busyTimeout', 10_000);
    await new Promise<void>((resolve, reject) =>
      connection.exec('PRAGMA journal_mode = WAL', (error) => (error ? reject(error) : resolve())),
    );
    return connection;
  };
  return sequelize;
}

function sqlitePath(target: DatabaseTarget): string {
  const fromUrl = target.url?.slice('sqlite:'.length);
  if (fromUrl === ':memory:') return ':memory:';
  const file = fromUrl ? path.resolve(fromUrl) : path.join(target.dataDir, 'tether.sqlite');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return file;
}
