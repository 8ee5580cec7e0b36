import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../sdk/testing/test-engine.js';
import { createPostgresDatabase, type PostgresDatabase } from '../support/postgres-database.js';

describe('Engine on PostgreSQL', () => {
  let database: PostgresDatabase;
  const engines: TestEngine[] = [];

  before(async () => {
    database = await createPostgresDatabase();
  });
  after(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
    await database?.drop();
  });

  it('switches to PostgreSQL by the database URL alone', async () => {
    const engine = await startTestEngine({ env: { TETHER_DATABASE_URL: database.url } });
    engines.push(engine);
    expect(engine.engine.root.isBound(Symbol.for('tether.Storage'))).to.equal(true);
    expect((await engine.request('/ready')).json).to.include({ status: 'ready' });
    expect(engine.firstStart?.email).to.equal('admin@localhost');
  });

  it('makes the first tenant once when two nodes start on the same empty database', async () => {
    const fresh = await createPostgresDatabase();
    try {
      const both = await Promise.all(
        [0, 1].map(() => startTestEngine({ env: { TETHER_DATABASE_URL: fresh.url } })),
      );
      engines.push(...both);
      const made = both.filter((engine) => engine.firstStart !== undefined);
      expect(made).to.have.length(1);
      for (const engine of both) {
        expect((await engine.request('/ready')).status).to.equal(200);
      }
    } finally {
      for (const engine of engines.splice(0)) await engine.stop();
      await fresh.drop();
    }
  });
});
