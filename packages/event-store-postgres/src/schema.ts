import type { Client } from 'pg';

/** The qualified names of one store's tables and its notification channel. */
export interface Tables {
  schema: string;
  events: string;
  head: string;
  channel: string;
}

// Quoted as is, and short enough that `<schema>_appends` fits PostgreSQL's 63-byte names.
const schemaName = /^[a-z_][a-z0-9_]{0,49}$/;

export function tablesOf(schema: string): Tables {
  if (!schemaName.test(schema)) {
    throw new Error(
      `the event store schema must be lower-case letters, digits and _ (at most 50), not ${JSON.stringify(schema)}`,
    );
  }
  return {
    schema,
    events: `"${schema}".events`,
    head: `"${schema}".log_head`,
    channel: `${schema}_appends`,
  };
}

/**
 * `position` is handed out by the one row of `log_head`, never by a sequence (ADR 0008, append.ts).
 * `data` and `metadata` are `json`, which keeps the text as written: `jsonb` would reorder the keys, and the
 * port returns a document key for key.
 */
const ddl = ({ schema, events, head }: Tables) => `
  CREATE SCHEMA IF NOT EXISTS "${schema}";
  CREATE TABLE IF NOT EXISTS ${events} (
    position bigint PRIMARY KEY,
    id text NOT NULL UNIQUE,
    stream text NOT NULL,
    revision bigint NOT NULL,
    type text NOT NULL,
    data json NOT NULL,
    metadata json NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE TABLE IF NOT EXISTS ${head} (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    position bigint NOT NULL
  );
  INSERT INTO ${head} (position) VALUES (0) ON CONFLICT DO NOTHING;`;

/**
 * Creates the schema and its tables when missing. Processes starting at once would race even with
 * `IF NOT EXISTS` (both pass the check, one fails on the catalog's unique index), so the DDL runs under a
 * transaction-scoped advisory lock named after the schema. Existing tables are left alone without any DDL,
 * so a role that may not create anything can open a store an administrator set up.
 */
export async function createTables(client: Client, tables: Tables): Promise<void> {
  const { rows } = await client.query<{ ready: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ready',
    [tables.events, tables.head],
  );
  if (rows[0]?.ready) return;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ferry:${tables.schema}`]);
    await client.query(ddl(tables));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
