import { expect } from 'chai';
import { expectError } from '../../support/identity-helpers.js';
import { createPostgresDatabase, type PostgresDatabase } from '../../support/postgres-database.js';
import {
  act,
  arrive,
  refOf,
  startSessionWorld,
  type JoinedBody,
  type SessionWorld,
} from './session-fixtures.js';

const ROUNDS = 5;

function raceSpecs(label: string, settings: () => Record<string, unknown>): void {
  describe(`atomic pick-up on ${label}`, function () {
    this.timeout(90_000);
    let world: SessionWorld;

    before(async () => {
      world = await startSessionWorld(settings());
    });
    after(() => world?.engine.stop());

    it('gives each queued session to exactly one of two technicians picking at once', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const arrived = await arrive(world, world.groupId, `Race ${round}`);
        expect(arrived.status, arrived.text).to.equal(200);
        const ref = await refOf(world, (arrived.json as JoinedBody).sessionId);
        const answers = await Promise.all([
          act(world, world.alice, ref, 'pick-up'),
          act(world, world.bob, ref, 'pick-up'),
        ]);
        expect(
          answers.map((a) => a.status).sort(),
          answers.map((a) => a.text).join(),
        ).to.deep.equal([200, 409]);
        expectError(
          answers.find((a) => a.status === 409)!,
          409,
          'TETHER_E_SESSION_TAKEN',
        );
        const winner = answers[0]!.status === 200 ? world.alice : world.bob;
        const detail = await world.engine.request(`/api/v1/sessions/${ref}`, {
          headers: winner.headers,
        });
        expect(detail.json).to.include({ ownerMemberId: winner.id, state: 'active' });
      }
    });
  });
}

raceSpecs('SQLite', () => ({}));

describe('on PostgreSQL', () => {
  let database: PostgresDatabase | undefined;
  before(async () => {
    database = await createPostgresDatabase();
  });
  after(() => database?.drop());
  raceSpecs('PostgreSQL', () => ({ databaseUrl: (database as PostgresDatabase).url }));
});
