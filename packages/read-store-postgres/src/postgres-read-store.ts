import {
  checkCollection,
  type Document,
  documentWrites,
  fieldTextsOf,
  fieldTextsOfDocument,
  type FindOptions,
  type ProjectionCommit,
  type ReadStore,
} from '@ferry/read-store';
import { clientConfig, createPool, endPool, ping, serverOf, unreachable } from '@ferry/postgres';
import type pg from 'pg';
import { findQuery } from './query.ts';
import {
  createTables,
  forgetProjection,
  readCheckpoint,
  readDocument,
  readVersioned,
  saveCheckpoint,
  type Tables,
  tablesOf,
  writeDocuments,
} from './tables.ts';
import { inTransaction, retrying } from './transactions.ts';

/** What errors call the store. */
const storeName = 'PostgreSQL read store';

export interface PostgresReadStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Where the store keeps its tables, created when missing; `ferry` unless given. */
  schema?: string;
  /** The most connections the store opens at once; 10 unless given. */
  poolSize?: number;
}

/**
 * Opens the PostgreSQL read-model store: connects, and creates its schema and tables unless they exist
 * (safe when several processes start at once). Rejects with one error naming the server (never the
 * password) and the reason when the server cannot be reached or refuses the store.
 *
 * A commit is one transaction; several stores over one schema (replicas projecting the same projection)
 * converge, as every write lands only over an older position (see `ReadStore`).
 *
 * Documents come back exactly as put. Queries run on a `jsonb` copy, which cannot hold a NUL (`\u0000`) or
 * a lone surrogate in a string: there each is U+FFFD, so `where` and `orderBy` on such a field see U+FFFD
 * (a `where` value holding one is compared the same way).
 */
export async function openPostgresReadStore(options: PostgresReadStoreOptions): Promise<ReadStore> {
  const server = serverOf(options.connectionString, storeName);
  const schema = options.schema ?? 'ferry';
  const config = clientConfig({
    connectionString: options.connectionString,
    applicationName: `ferry read store ${schema}`,
  });
  const pool = createPool(config, options.poolSize ?? 10);
  try {
    await createTables(pool, schema);
  } catch (error) {
    await endPool(pool);
    throw unreachable(storeName, server, error);
  }
  return postgresReadStore(pool, tablesOf(schema), `postgres read store (${server}, schema ${schema})`);
}

function postgresReadStore(pool: pg.Pool, tables: Tables, description: string): ReadStore {
  const query = <R extends pg.QueryResultRow>(config: pg.QueryConfig) =>
    retrying(() => pool.query<R>(config));
  /** Every statement in one transaction, the whole retried when a new try can cure its failure. */
  const transaction = (statements: pg.QueryConfig[]) =>
    retrying(() =>
      inTransaction(pool, async (client) => {
        for (const statement of statements) await client.query(statement);
      }),
    );
  /** One projection's changes and checkpoint, as statements of the caller's transaction. */
  const commitStatements = ({ projection, position, changes }: ProjectionCommit) => {
    const writes = documentWrites(changes, position);
    const documents = writes.length > 0 ? [writeDocuments(tables, writes)] : [];
    return [...documents, saveCheckpoint(tables, projection, position)];
  };
  let closed = false;
  return {
    async get<T extends Document>(collection: string, id: string) {
      const { rows } = await query<{ body: T }>(readDocument(tables, checkCollection(collection), id));
      return rows[0]?.body ?? null;
    },
    async getVersioned<T extends Document>(collection: string, id: string) {
      const { rows } = await query<{ body: T | null; position: string }>(
        readVersioned(tables, checkCollection(collection), id),
      );
      const row = rows[0];
      return row ? { doc: row.body, position: Number(row.position) } : { doc: null, position: 0 };
    },
    async find<T extends Document>(collection: string, options?: FindOptions) {
      const { rows } = await query<{ body: T }>(
        findQuery(tables.documents, checkCollection(collection), options),
      );
      return rows.map((row) => row.body);
    },
    async findTexts(collection, fields, options) {
      const found = findQuery(tables.documents, checkCollection(collection), options, fields);
      const { rows } = await retrying(() => pool.query<unknown[]>({ ...found, rowMode: 'array' }));
      // The last column is the whole document when it holds a \u escape (see `findQuery`).
      return rows.map((row) => {
        const whole = row.at(-1);
        return typeof whole === 'string'
          ? fieldTextsOfDocument(row[0] as string, JSON.parse(whole), fields)
          : fieldTextsOf(row, fields);
      });
    },
    async commit(projection, position, changes) {
      await transaction(commitStatements({ projection, position, changes }));
    },
    async commitAll(commits) {
      await transaction(commits.flatMap(commitStatements));
    },
    async checkpoint(projection) {
      const { rows } = await query<{ position: string }>(readCheckpoint(tables, projection));
      // bigint comes back as text; positions stay far below 2^53.
      return rows[0] ? Number(rows[0].position) : 0;
    },
    async reset(projection, collections) {
      for (const collection of collections) checkCollection(collection);
      await transaction(forgetProjection(tables, projection, collections));
    },
    ping: async () => !closed && (await ping(pool)),
    describe: () => description,
    async close() {
      if (closed) return;
      closed = true;
      await endPool(pool);
    },
  };
}
