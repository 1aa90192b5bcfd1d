import type { DocumentWrite } from '@ferry/read-store';
import type pg from 'pg';
import { inTransaction } from './transactions.ts';
import { queryCopy } from './query-copy.ts';

/** The qualified, quoted names of the store's two tables in its schema. */
export interface Tables {
  documents: string;
  checkpoints: string;
}

/** Quotes an identifier (`my"schema` → `"my""schema"`), so a schema name is never read as SQL. */
const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const tablesOf = (schema: string): Tables => ({
  documents: `${quoteIdent(schema)}.documents`,
  checkpoints: `${quoteIdent(schema)}.checkpoints`,
});

/**
 * Every collection shares one table keyed by (collection, id) rather than a table each: a first write
 * needs no DDL (no catalog lock inside a commit, no race between replicas creating the same table), a
 * collection never written simply has no rows, and `reset` is one DELETE in the same transaction as the
 * checkpoint. The primary key keeps each collection's rows ordered by id, the default order of `find`.
 *
 * `body` is the document's JSON text exactly as put (`json` keeps text, key order included): what `get`
 * and `find` return. `doc` is its copy as `jsonb`, which `find` compares and sorts on: the same document
 * but for a NUL or a lone surrogate in a string, which jsonb cannot hold (see `queryCopy`). Both are null
 * for a tombstone. `COLLATE "C"` makes ids compare by code point whatever the database's collation.
 */
const createSql = (schema: string, tables: Tables): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`,
  `CREATE TABLE IF NOT EXISTS ${tables.documents} (
    collection text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    position bigint NOT NULL,
    body json,
    doc jsonb,
    PRIMARY KEY (collection, id))`,
  `CREATE TABLE IF NOT EXISTS ${tables.checkpoints} (projection text PRIMARY KEY, position bigint NOT NULL)`,
];

/**
 * Creates the schema and tables unless they exist. `IF NOT EXISTS` alone is not enough when several
 * processes start at once (two concurrent creations of one table can both pass the check and one fails
 * on the catalog's unique index), so the DDL runs under a transaction-scoped advisory lock on the schema.
 */
export async function createTables(pool: pg.Pool, schema: string): Promise<void> {
  const tables = tablesOf(schema);
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ferry read store ${schema}`]);
    for (const sql of createSql(schema, tables)) await client.query(sql);
    await writeQueryCopyOurselves(client, tables);
  });
}

/**
 * Tables created before the copy was written by `writeDocuments` computed it as `body::jsonb`, which fails
 * on a NUL: the column keeps its values and is written from now on. Looked up first, so that an up-to-date
 * table is not locked by an ALTER at every start.
 */
async function writeQueryCopyOurselves(client: pg.PoolClient, tables: Tables): Promise<void> {
  const { rowCount } = await client.query(
    "SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'doc' AND attgenerated = 's'",
    [tables.documents],
  );
  if (rowCount) await client.query(`ALTER TABLE ${tables.documents} ALTER COLUMN doc DROP EXPRESSION`);
}

/**
 * One statement for all the writes of a commit: each lands only over an older row (or none). They are
 * sorted, so that two projectors committing overlapping documents at once lock rows in the same order
 * and cannot deadlock each other. `lastChangePerDocument` made them distinct, which `ON CONFLICT DO
 * UPDATE` requires of the rows of one statement.
 */
export function writeDocuments(tables: Tables, writes: DocumentWrite[]): pg.QueryConfig {
  const sorted = writes.toSorted((a, b) => compare(a.collection, b.collection) || compare(a.id, b.id));
  return {
    text:
      `INSERT INTO ${tables.documents} AS d (collection, id, body, doc, position) ` +
      'SELECT w.collection, w.id, w.body::json, coalesce(w.copy, w.body)::jsonb, w.position ' +
      'FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) ' +
      'AS w(collection, id, body, copy, position) ' +
      'ON CONFLICT (collection, id) DO UPDATE ' +
      'SET body = excluded.body, doc = excluded.doc, position = excluded.position ' +
      'WHERE d.position < excluded.position',
    values: [
      sorted.map((write) => write.collection),
      sorted.map((write) => write.id),
      sorted.map((write) => write.json),
      // Null, nearly always: the exact text serves as the copy.
      sorted.map((write) => (write.json === null ? null : queryCopy(write.json))),
      sorted.map((write) => write.position),
    ],
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Moves the projection's checkpoint to `position` unless it already is there or further. */
export const saveCheckpoint = (tables: Tables, projection: string, position: number): pg.QueryConfig => ({
  text:
    `INSERT INTO ${tables.checkpoints} AS c (projection, position) VALUES ($1, $2) ` +
    'ON CONFLICT (projection) DO UPDATE SET position = excluded.position WHERE c.position < excluded.position',
  values: [projection, position],
});

export const readDocument = (tables: Tables, collection: string, id: string): pg.QueryConfig => ({
  text: `SELECT body FROM ${tables.documents} WHERE collection = $1 AND id = $2 AND body IS NOT NULL`,
  values: [collection, id],
});

/** The row, tombstone included, with the position that wrote it. */
export const readVersioned = (tables: Tables, collection: string, id: string): pg.QueryConfig => ({
  text: `SELECT body, position FROM ${tables.documents} WHERE collection = $1 AND id = $2`,
  values: [collection, id],
});

export const readCheckpoint = (tables: Tables, projection: string): pg.QueryConfig => ({
  text: `SELECT position FROM ${tables.checkpoints} WHERE projection = $1`,
  values: [projection],
});

/** What `reset` runs, in one transaction: documents and tombstones of the collections, and the checkpoint. */
export const forgetProjection = (
  tables: Tables,
  projection: string,
  collections: string[],
): pg.QueryConfig[] => [
  { text: `DELETE FROM ${tables.documents} WHERE collection = ANY($1::text[])`, values: [collections] },
  { text: `DELETE FROM ${tables.checkpoints} WHERE projection = $1`, values: [projection] },
];
