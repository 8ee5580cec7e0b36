import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { expectError } from '../../support/identity-helpers.js';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres-database.js';
import {
  createSession,
  otherCode,
  startSessionWorld,
  type SessionWorld,
} from './session-fixtures.js';

describe('join-code limits across two nodes on one PostgreSQL', function () {
  this.timeout(90_000);
  let database: PostgresDatabase | undefined;
  let first: SessionWorld | undefined;
  let second: TestEngine | undefined;

  before(async () => {
    database = await createPostgresDatabase();
    first = await startSessionWorld({ databaseUrl: database.url });
    second = await startTestEngine({ settings: { databaseUrl: database.url } });
  });
  after(async () => {
    await second?.stop();
    await first?.engine.stop();
    await database?.drop();
  });

  it('counts wrong codes sent to either node against one limit', async () => {
    const world = first!;
    const made = await createSession(world, world.alice);
    const wrong = otherCode(made.joinCode);
    const join = (engine: TestEngine, code: string) =>
      engine.request('/api/v1/sessions/join', { method: 'POST', body: { code } });
    for (let i = 0; i < 5; i += 1) {
      expectError(await join(world.engine, wrong), 404, 'TETHER_E_JOIN_CODE');
      expectError(await join(second!, wrong), 404, 'TETHER_E_JOIN_CODE');
    }
    // With a count per node, each would have allowed five more.
    expectError(await join(second!, made.joinCode), 429, 'TETHER_E_RATE_LIMITED');
    expectError(await join(world.engine, made.joinCode), 429, 'TETHER_E_RATE_LIMITED');
    expect((await join(second!, made.joinCode)).status).to.equal(429);
  });
});
