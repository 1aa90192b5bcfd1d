import type { DatabaseSync } from 'node:sqlite';
import type { DocumentWrite } from '@ferry/read-store';
import { inTransaction } from '@ferry/sqlite';
import { CollectionTables } from './tables.ts';

/** One projection's commit as it crosses to the writer's thread: its documents already as JSON text. */
export interface PreparedCommit {
  projection: string;
  position: number;
  writes: DocumentWrite[];
}

export type WriteRequest =
  | { commits: PreparedCommit[] }
  | { reset: { projection: string; collections: string[] } };

/** The writes of the read-model file, each request one transaction: all of it lands or none. */
export function prepareWrites(db: DatabaseSync) {
  const tables = new CollectionTables(db);
  const saveCheckpoint = db.prepare(
    'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) ' +
      'DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position',
  );
  const forgetCheckpoint = db.prepare('DELETE FROM checkpoints WHERE projection = ?');

  /** A put or a tombstone (null JSON), landing only over an older row (see `tables.ts`). */
  const apply = (write: DocumentWrite) =>
    tables.writable(write.collection).write.run(write.id, write.json, write.position);

  return (request: WriteRequest) =>
    inTransaction(db, () => {
      if ('reset' in request) {
        for (const collection of request.reset.collections) tables.existing(collection)?.clear.run();
        forgetCheckpoint.run(request.reset.projection);
        return;
      }
      for (const { projection, position, writes } of request.commits) {
        for (const write of writes) apply(write);
        saveCheckpoint.run(projection, position);
      }
    });
}
