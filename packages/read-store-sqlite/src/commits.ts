import type { DatabaseSync } from 'node:sqlite';
import type { DocumentWrite } from '@ferry/read-store';
import type { CollectionTables } from './tables.ts';

/** A projection's commit with its writes already validated (`documentWrites`): plain data a thread can take. */
export interface CheckedCommit {
  projection: string;
  position: number;
  writes: DocumentWrite[];
}

/**
 * Writes checked commits on `db`, inside the caller's transaction: each document lands only over an older
 * row (see `tables.ts`), each checkpoint only moves forward.
 */
export function commitsWriter(db: DatabaseSync, tables: CollectionTables) {
  const saveCheckpoint = db.prepare(
    'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) ' +
      'DO UPDATE SET position = excluded.position WHERE excluded.position > checkpoints.position',
  );
  return (commits: readonly CheckedCommit[]) => {
    for (const { projection, position, writes } of commits) {
      for (const { collection, id, json, position: at } of writes) {
        tables.writable(collection).write.run(id, json, at);
      }
      saveCheckpoint.run(projection, position);
    }
  };
}
