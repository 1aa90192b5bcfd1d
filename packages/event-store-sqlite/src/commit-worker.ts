// The log writer's thread (see log-writer.ts): it owns the connection that writes the event log, so the
// synced COMMIT of a batch blocks this thread, not the event loop that serves requests.
import { serveLog } from './log-threads.ts';
import { outcomeToWire } from './wire.ts';
import { type AppendRequest, writeBatch } from './write-batch.ts';

export type WriterRequest = { batch: AppendRequest[] } | { close: true };

serveLog<{ batch: AppendRequest[] }>('commit-worker.ts', (db, statements, { batch }) => ({
  outcomes: writeBatch(db, statements, batch).map(outcomeToWire),
}));
