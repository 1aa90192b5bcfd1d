// The log writer's thread (see log-writer.ts): it owns the connection that writes the event log, so the
// synced COMMIT of a batch blocks this thread, not the event loop that serves requests.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventLog } from './schema.ts';
import { prepareStatements } from './statements.ts';
import { outcomeToWire, toWire } from './wire.ts';
import { type AppendRequest, writeBatch } from './write-batch.ts';

export type WriterRequest = { batch: AppendRequest[] } | { close: true };

const port = parentPort;
if (!port) throw new Error('commit-worker.ts runs as a worker thread of log-writer.ts');
const db = openEventLog((workerData as { file: string }).file);
const statements = prepareStatements(db);

port.on('message', (request: WriterRequest) => {
  if ('close' in request) {
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ outcomes: writeBatch(db, statements, request.batch).map(outcomeToWire) });
  } catch (error) {
    port.postMessage({ failed: toWire(error) });
  }
});
