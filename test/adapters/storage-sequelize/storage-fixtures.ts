import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  connectDatabase,
  type DatabaseTarget,
  type Dialect,
} from '../../../adapters/storage-sequelize/connect-database.js';
import { MIGRATIONS } from '../../../adapters/storage-sequelize/migrations/index.js';
import { SequelizeStorage } from '../../../adapters/storage-sequelize/sequelize-storage.js';
import type { Logger } from '../../../engine/contracts/logger-contract.js';
import { isTetherError, type ErrorCode } from '../../../engine/errors.js';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres-database.js';
import { createLogger } from '../../../engine/logging/create-logger.js';

/** The names of every migration, oldest first. */
export const ALL_MIGRATIONS = MIGRATIONS.map((migration) => migration.name);

/** A logger that writes nothing, so that a run keeps the console clean. */
export const silentLogger: Logger = createLogger({ level: 'silent', format: 'json' });

/** A database the shared suite runs against; each `fresh()` gives an empty one of its own. */
export interface StorageFixture {
  /** Shown in the suite's name. */
  readonly label: string;
  readonly dialect: Dialect;
  /** Makes the database ready (called from `before`). */
  setUp(): Promise<void>;
  /** A target naming a new, empty database. */
  fresh(): Promise<DatabaseTarget>;
  /** Removes every database `fresh` made (called from `after`). */
  tearDown(): Promise<void>;
}

/** A storage opened on `target`, with the Sequelize instance under it. */
export interface OpenStorage {
  readonly sequelize: ReturnType<typeof connectDatabase>;
  readonly storage: SequelizeStorage;
}

/** Opens the adapter's storage on `target`, the way the engine module does. */
export function openStorage(fixture: StorageFixture, target: DatabaseTarget): OpenStorage {
  const sequelize = connectDatabase(target, silentLogger);
  return { sequelize, storage: new SequelizeStorage(sequelize, fixture.dialect, silentLogger) };
}

function tempDirs(): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tether-storage-test-'));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite in a file `tether.sqlite` of a new temporary data folder. */
export function sqliteFileFixture(): StorageFixture {
  const dirs = tempDirs();
  return {
    label: 'SQLite (file in the data folder)',
    dialect: 'sqlite',
    setUp: async () => undefined,
    fresh: async () => ({ dataDir: dirs.make() }),
    tearDown: async () => dirs.removeAll(),
  };
}

/** SQLite in memory through the `sqlite::memory:` URL; every connection is a new database. */
export function sqliteMemoryFixture(): StorageFixture {
  const dirs = tempDirs();
  return {
    label: 'SQLite (sqlite::memory:)',
    dialect: 'sqlite',
    setUp: async () => undefined,
    fresh: async () => ({ url: 'sqlite::memory:', dataDir: dirs.make() }),
    tearDown: async () => dirs.removeAll(),
  };
}

/**
 * The PostgreSQL of this machine. Each `fresh()` creates a database `tether_test_<hex>`;
 * `tearDown` drops them all, ending leftover connections.
 */
export function postgresFixture(): StorageFixture {
  const dirs = tempDirs();
  const created: PostgresDatabase[] = [];
  return {
    label: 'PostgreSQL',
    dialect: 'postgres',
    async setUp() {},
    async fresh() {
      const database = await createPostgresDatabase();
      created.push(database);
      return { url: database.url, dataDir: dirs.make() };
    },
    async tearDown() {
      try {
        for (const database of created.splice(0)) await database.drop();
      } finally {
        dirs.removeAll();
      }
    },
  };
}

/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/**
 * What `call` rejects with. Fails when it resolves, and when it throws synchronously instead of
 * returning a rejected promise (the contract's failures reject).
 */
export async function rejectionOf(call: () => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`threw synchronously instead of rejecting: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** Asserts that `error` is a TetherError with `code`. */
export function expectCode(error: unknown, code: ErrorCode): void {
  const seen = isTetherError(error) ? error.code : String(error);
  expect(isTetherError(error, code), `expected ${code}, got ${seen}`).to.equal(true);
}

/** Asserts that `call` rejects with a TetherError with `code`. */
export async function expectRejects(call: () => Promise<unknown>, code: ErrorCode): Promise<void> {
  expectCode(await rejectionOf(call), code);
}
