import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, type Options } from 'sequelize';
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
    return new Sequelize({ ...common, dialect, storage: sqlitePath(target) });
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

function sqlitePath(target: DatabaseTarget): string {
  const fromUrl = target.url?.slice('sqlite:'.length);
  if (fromUrl === ':memory:') return ':memory:';
  const file = fromUrl ? path.resolve(fromUrl) : path.join(target.dataDir, 'tether.sqlite');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return file;
}
