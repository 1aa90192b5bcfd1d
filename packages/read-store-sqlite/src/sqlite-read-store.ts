import type { StatementSync } from 'node:sqlite';
import {
  type Document,
  type DocumentWrite,
  documentWrites,
  fieldTextsOf,
  type ProjectionCommit,
  type ReadStore,
} from '@ferry/read-store';
import { inTransaction } from '@ferry/sqlite';
import { heldCommits } from './held-commits.ts';
import { tableOf } from './names.ts';
import { findQuery } from './query.ts';
import { openReadModels } from './schema.ts';
import { CollectionTables } from './tables.ts';
import { turnReads } from './turn-reads.ts';
import { WholeTexts } from './whole-texts.ts';

/** Shapes of find seen at once; `where` lists of many lengths could otherwise grow the cache without end. */
const MAX_STATEMENTS = 256;

export interface SqliteReadStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
}

/** The embedded read-model store: one SQLite file, a table per collection holding JSON documents. */
export function createSqliteReadStore(options: SqliteReadStoreOptions): ReadStore {
  const db = openReadModels(options.file);
  const tables = new CollectionTables(db);
  const reads = turnReads(db);
  const held = heldCommits(db);
  const saveCheckpoint = db.prepare(
    'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) ' +
      'DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position',
  );
  const readCheckpoint = db.prepare('SELECT position FROM checkpoints WHERE projection = ?');
  const forgetCheckpoint = db.prepare('DELETE FROM checkpoints WHERE projection = ?');
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
  const wholeTexts = new WholeTexts(db, statement);

  /** A put or a tombstone (null JSON), landing only over an older row (see `tables.ts`). */
  const apply = (write: DocumentWrite) =>
    tables.writable(write.collection).write.run(write.id, write.json, write.position);
  /**
   * Commits written in one transaction (one `held.commit`): every change of every commit is validated
   * (`documentWrites`) before anything is written, so a bad one fails the call without touching the
   * transaction, which may hold other batches.
   */
  const writeCommits = (commits: readonly ProjectionCommit[], more: boolean) => {
    const writes = commits.map(({ changes, position }) => documentWrites(changes, position));
    held.commit(
      commits.map((commit) => commit.projection),
      () => {
        commits.forEach(({ projection, position }, i) => {
          for (const write of writes[i]!) apply(write);
          saveCheckpoint.run(projection, position);
        });
      },
      more,
    );
  };

  return {
    async get<T extends Document>(collection: string, id: string) {
      reads.begin();
      const row = tables.existing(collection)?.get.get(id) as { doc: string } | undefined;
      return row ? (JSON.parse(row.doc) as T) : null;
    },
    async getVersioned<T extends Document>(collection: string, id: string) {
      reads.begin();
      const row = tables.existing(collection)?.getVersioned.get(id) as
        | { doc: string | null; position: number }
        | undefined;
      if (!row) return { doc: null, position: 0 };
      return { doc: row.doc === null ? null : (JSON.parse(row.doc) as T), position: row.position };
    },
    async find<T extends Document>(collection: string, findOptions = {}) {
      reads.begin();
      if (!tables.existing(collection)) return [];
      const { sql, params } = findQuery(tableOf(collection), findOptions);
      const rows = statement(sql).all(...params) as Array<{ doc: string }>;
      return rows.map((row) => JSON.parse(row.doc) as T);
    },
    async findTexts(collection, fields, findOptions = {}) {
      // A whole list: most of its texts are those of the last one (see whole-texts.ts). It reads in a
      // transaction of its own, which may first create its index, so not in the turn's.
      const whole = WholeTexts.covers(findOptions);
      if (whole) {
        held.land();
        reads.end();
      } else reads.begin();
      if (!tables.existing(collection)) return [];
      if (whole) return wholeTexts.find(tableOf(collection), fields, findOptions.where);
      const { sql, params } = findQuery(tableOf(collection), findOptions, fields);
      const prepared = statement(sql);
      prepared.setReturnArrays(true);
      const rows = prepared.all(...params) as unknown as unknown[][];
      return rows.map((row) => fieldTextsOf(row, fields));
    },
    async commit(projection, position, changes) {
      reads.end();
      writeCommits([{ projection, position, changes }], false);
    },
    async commitAll(commits, commitOptions) {
      reads.end();
      writeCommits(commits, commitOptions?.more === true);
    },
    async checkpoint(projection) {
      reads.begin();
      const row = readCheckpoint.get(projection) as { position: number } | undefined;
      return row?.position ?? 0;
    },
    async reset(projection, collections) {
      held.land();
      held.forget(projection);
      reads.end();
      inTransaction(db, () => {
        for (const collection of collections) tables.existing(collection)?.clear.run();
        forgetCheckpoint.run(projection);
      });
      for (const collection of collections) wholeTexts.forget(tableOf(collection));
    },
    async ping() {
      return !closed && db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    describe: () => `sqlite read store (${options.file})`,
    async close() {
      if (closed) return;
      closed = true;
      try {
        held.land();
      } finally {
        reads.end();
        db.close();
      }
    },
  };
}
