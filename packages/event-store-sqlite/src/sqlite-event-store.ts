import { type EventStore, pollingSubscriptions, type ReadAllOptions, Wakeup } from '@ferry/event-store';
import { logWriter } from './log-writer.ts';
import { openEventLog } from './schema.ts';
import {
  type EventRow,
  prepareStatements,
  readAfter,
  readAfterWithoutMetadata,
  toRecorded,
} from './statements.ts';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  /** How often subscriptions look for events appended by another process. Default 250 ms. */
  pollIntervalMs?: number;
}

/**
 * The embedded event store: one SQLite file, safe to share between processes. Reads run on this thread's
 * connection; appends are written by the log writer's thread (`log-writer.ts`) on a connection of its own.
 */
export function createSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  const db = openEventLog(options.file);
  const statements = prepareStatements(db);
  const wakeup = new Wakeup();
  const subscriptions = pollingSubscriptions({
    read: (fromPosition, limit) => readAfter(statements, fromPosition, limit),
    wakeup,
    pollIntervalMs: options.pollIntervalMs ?? 250,
  });
  const writer = logWriter(options.file, () => wakeup.notify());
  let closed = false;

  return {
    append: writer.append,
    async readStream(streamName, { fromRevision = 0 } = {}) {
      const rows = statements.stream.all(streamName, fromRevision) as unknown as EventRow[];
      return rows.map(toRecorded);
    },
    // Every event of a read is mapped the same way, with metadata or without it as the options ask.
    readAll: (async ({ fromPosition = 0, limit = -1, types, metadata, textFields }: ReadAllOptions = {}) =>
      metadata === false
        ? readAfterWithoutMetadata(statements, fromPosition, limit, types, textFields)
        : readAfter(statements, fromPosition, limit, types)) as EventStore['readAll'],
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
      await writer.close();
      await subscriptions.closeAll();
      db.close();
    },
  };
}
