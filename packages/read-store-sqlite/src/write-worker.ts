// The read-model writer's thread (see model-writer.ts): it owns the connection that writes the read-model
// file, so the commits of the projectors and the audit trail, and the WAL checkpoints SQLite runs inside
// them, block this thread, not the event loop that serves requests.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadModels } from './schema.ts';
import { prepareWrites, type WriteRequest } from './writes.ts';

export type WorkerRequest = WriteRequest | { close: true };
/** Each request's outcome, in the order of the requests. */
export type WorkerReply = { failed?: unknown };

const port = parentPort;
if (!port) throw new Error('write-worker.ts runs as a worker thread of model-writer.ts');
const db = openReadModels((workerData as { file: string }).file);
const write = prepareWrites(db);

port.on('message', (request: WorkerRequest) => {
  if ('close' in request) {
    db.close();
    port.close();
    return;
  }
  try {
    write(request);
    port.postMessage({} satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ failed: error } satisfies WorkerReply);
  }
});
