import type { StatementSync } from 'node:sqlite';
import {
  type Document,
  documentWrites,
  fieldTextsOf,
  type ProjectionCommit,
  type ReadStore,
} from '@ferry/read-store';
import { modelWriter } from './model-writer.ts';
import { tableOf } from './names.ts';
import { findQuery } from './query.ts';
import { openReadModels } from './schema.ts';
import { CollectionTables } from './tables.ts';
import type { PreparedCommit } from './writes.ts';

/** Shapes of find seen at once; `where` lists of many lengths could otherwise grow the cache without end. */
const MAX_STATEMENTS = 256;

export interface SqliteReadStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
}

/**
 * The embedded read-model store: one SQLite file, a table per collection holding JSON documents. It reads
 * on the caller's thread and writes on a thread of its own (`model-writer.ts`).
 */
export function createSqliteReadStore(options: SqliteReadStoreOptions): ReadStore {
  const db = openReadModels(options.file);
  const tables = new CollectionTables(db);
  const writer = modelWriter(options.file);
  const readCheckpoint = db.prepare('SELECT position FROM checkpoints WHERE projection = ?');
  let closed = false;
  // A find's SQL depends only on the shape of its options, so a statement is prepared once per shape:
  // preparing it on every call was most of a find's time (a web_backend list makes one per connection).
  const statements = new Map<string, StatementSync>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      prepared = db.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };

  /**
   * The documents become JSON here, on the caller's thread, so a change JSON cannot hold fails its commit
   * before anything is sent; the writer's thread gets text.
   */
  const prepared = ({ projection, position, changes }: ProjectionCommit): PreparedCommit => ({
    projection,
    position,
    writes: documentWrites(changes, position),
  });

  return {
    async get<T extends Document>(collection: string, id: string) {
      const row = tables.existing(collection)?.get.get(id) as { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as T) : null;
    },
    async getVersioned<T extends Document>(collection: string, id: string) {
      const row = tables.existing(collection)?.getVersioned.get(id) as
        | { doc: string | null; position: number }
        | undefined;
      if (!row) return { doc: null, position: 0 };
      return { doc: row.doc === null ? null : (JSON.parse(row.doc) as T), position: row.position };
    },
    async find<T extends Document>(collection: string, findOptions = {}) {
      if (!tables.existing(collection)) return [];
      const { sql, params } = findQuery(tableOf(collection), findOptions);
      const rows = statement(sql).all(...params) as Array<{ doc: string }>;
      return rows.map((row) => JSON.parse(row.doc) as T);
    },
    async findTexts(collection, fields, findOptions = {}) {
      if (!tables.existing(collection)) return [];
      const { sql, params } = findQuery(tableOf(collection), findOptions, fields);
      const prepared = statement(sql);
      prepared.setReturnArrays(true);
      const rows = prepared.all(...params) as unknown as unknown[][];
      return rows.map((row) => fieldTextsOf(row, fields));
    },
    async commit(projection, position, changes) {
      await writer.write({ commits: [prepared({ projection, position, changes })] });
    },
    async commitAll(commits) {
      await writer.write({ commits: commits.map(prepared) });
    },
    async checkpoint(projection) {
      const row = readCheckpoint.get(projection) as { position: number } | undefined;
      return row?.position ?? 0;
    },
    async reset(projection, collections) {
      await writer.write({ reset: { projection, collections } });
    },
    async ping() {
      return !closed && db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    describe: () => `sqlite read store (${options.file})`,
    async close() {
      if (closed) return;
      closed = true;
      await writer.close();
      db.close();
    },
  };
}
