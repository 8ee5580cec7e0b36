import { expect } from 'chai';
import pg from 'pg';
import type { DatabaseTarget } from '../../../adapters/storage-sequelize/connect-database.js';
import { dialectOf } from '../../../adapters/storage-sequelize/connect-database.js';
import { takeAtOnce } from './attempt-window-specs.js';
import { ALL_MIGRATIONS, openStorage, postgresFixture } from './storage-fixtures.js';
import { storageSuite } from './storage-suite.js';

storageSuite(postgresFixture);

async function appliedMigrations(target: DatabaseTarget): Promise<string[]> {
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>(
      'SELECT name FROM tether_migrations ORDER BY name',
    );
    return result.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('SequelizeStorage on PostgreSQL, two nodes at once', () => {
  const fixture = postgresFixture();

  before(() => fixture.setUp());
  after(() => fixture.tearDown());

  it('lets two storages on one empty database migrate together, recording it once', async () => {
    const target = await fixture.fresh();
    expect(dialectOf(target.url)).to.equal('postgres');
    const first = openStorage(fixture, target).storage;
    const second = openStorage(fixture, target).storage;
    try {
      const results = await Promise.all([first.migrate(), second.migrate()]);
      expect(results.map((applied) => applied.join(',')).sort()).to.deep.equal([
        '',
        ALL_MIGRATIONS.join(','),
      ]);
      expect(await appliedMigrations(target)).to.deep.equal(ALL_MIGRATIONS);
      expect(await first.pendingMigrations()).to.deep.equal([]);
      expect(await second.pendingMigrations()).to.deep.equal([]);
      const tenant = await first.tenants.create('seen-by-both');
      expect(await second.tenants.findById(tenant.id)).to.deep.equal(tenant);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('counts every attempt once when two nodes take the same subject at once', async () => {
    const target = await fixture.fresh();
    const nodes = [openStorage(fixture, target).storage, openStorage(fixture, target).storage];
    try {
      await nodes[0]!.migrate();
      const subject = 'f'.repeat(64);
      const now = new Date();
      const counts = await Promise.all(
        nodes.map((node) => takeAtOnce(node.attemptWindows, subject, 15, now)),
      );
      const all = counts.flat().sort((a, b) => a - b);
      expect(all).to.deep.equal(Array.from({ length: 30 }, (_, index) => index + 1));
      expect(await nodes[1]!.attemptWindows.take(subject, now, 60_000)).to.equal(31);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});
