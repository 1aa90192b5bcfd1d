import { type EventStore, pollingSubscriptions, Wakeup } from '@ferry/event-store';
import { groupCommit } from './group-commit.ts';
import { openEventLog } from './schema.ts';
import { type EventRow, prepareStatements, readAfter, toRecorded } from './statements.ts';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  /** How often subscriptions look for events appended by another process. Default 250 ms. */
  pollIntervalMs?: number;
}

/** The embedded event store: one SQLite file, safe to share between processes. */
export function createSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  const db = openEventLog(options.file);
  const statements = prepareStatements(db);
  const wakeup = new Wakeup();
  const subscriptions = pollingSubscriptions({
    read: (fromPosition, limit) => readAfter(statements, fromPosition, limit),
    wakeup,
    pollIntervalMs: options.pollIntervalMs ?? 250,
  });
  const commits = groupCommit(db, statements, () => wakeup.notify());
  let closed = false;

  return {
    append: commits.append,
    async readStream(streamName, { fromRevision = 0 } = {}) {
      const rows = statements.stream.all(streamName, fromRevision) as unknown as EventRow[];
      return rows.map(toRecorded);
    },
    async readAll({ fromPosition = 0, limit = -1 } = {}) {
      return readAfter(statements, fromPosition, limit);
    },
    subscribeToAll: subscriptions.subscribe,
    async headPosition() {
      return (statements.head.get() as { head: number }).head;
    },
    async ping() {
      if (closed) return false;
      statements.head.get();
      return true;
    },
    describe: () => `sqlite event store (${options.file})`,
    async close() {
      if (closed) return;
      closed = true;
      commits.flush();
      await subscriptions.closeAll();
      db.close();
    },
  };
}
