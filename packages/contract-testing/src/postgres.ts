import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server tests use: the machine's own (127.0.0.1:5432, trust auth) unless
 * `FERRY_TEST_POSTGRES_URL` names another.
 */
export const testPostgresUrl = (): string =>
  process.env.FERRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name no other test or run uses; PostgreSQL folds unquoted names to lower case, so it is lower case. */
export const uniqueSchema = (prefix = 'ferry_test'): string => `${prefix}_${randomBytes(6).toString('hex')}`;

/** Drops a test's schema and everything in it; a schema that was never created is fine. */
export async function dropSchema(schema: string, url = testPostgresUrl()): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
