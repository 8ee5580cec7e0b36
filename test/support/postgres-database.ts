import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const BASE_URL = 'postgres://postgres@127.0.0.1:5432';

/** A database of its own on this machine's PostgreSQL, for one suite. */
export interface PostgresDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops it, ending any connection left open. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: ADMIN_URL,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 10_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `tether_test_<hex>` through the `test` database (127.0.0.1:5432, user postgres). */
export async function createPostgresDatabase(): Promise<PostgresDatabase> {
  const name = `tether_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: `${BASE_URL}/${name}`,
    drop: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
