import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  connectDatabase,
  dialectOf,
} from '../../../adapters/storage-sequelize/connect-database.js';
import { SequelizeStorage } from '../../../adapters/storage-sequelize/sequelize-storage.js';
import {
  ALL_MIGRATIONS,
  silentLogger,
  sqliteFileFixture,
  sqliteMemoryFixture,
} from './storage-fixtures.js';
import { storageSuite } from './storage-suite.js';

storageSuite(sqliteFileFixture);
storageSuite(sqliteMemoryFixture);

describe('connectDatabase for SQLite', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tether-connect-test-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the database in tether.sqlite of the data folder when there is no URL', async () => {
    expect(dialectOf(undefined)).to.equal('sqlite');
    const storage = new SequelizeStorage(
      connectDatabase({ dataDir }, silentLogger),
      'sqlite',
      silentLogger,
    );
    try {
      await storage.migrate();
      await storage.tenants.create('on-disk');
    } finally {
      await storage.close();
    }
    expect(existsSync(path.join(dataDir, 'tether.sqlite'))).to.equal(true);
    const reopened = new SequelizeStorage(
      connectDatabase({ dataDir }, silentLogger),
      'sqlite',
      silentLogger,
    );
    try {
      expect(await reopened.pendingMigrations()).to.deep.equal([]);
      expect((await reopened.tenants.findByName('on-disk'))?.name).to.equal('on-disk');
    } finally {
      await reopened.close();
    }
  });

  it('works in memory for sqlite::memory:, writing no file to the data folder', async () => {
    const url = 'sqlite::memory:';
    expect(dialectOf(url)).to.equal('sqlite');
    const storage = new SequelizeStorage(
      connectDatabase({ url, dataDir }, silentLogger),
      'sqlite',
      silentLogger,
    );
    try {
      expect(await storage.migrate()).to.deep.equal(ALL_MIGRATIONS);
      const tenant = await storage.tenants.create('in-memory');
      expect(await storage.tenants.findById(tenant.id)).to.deep.equal(tenant);
      await storage.ping();
    } finally {
      await storage.close();
    }
    expect(readdirSync(dataDir)).to.deep.equal([]);
  });
});
