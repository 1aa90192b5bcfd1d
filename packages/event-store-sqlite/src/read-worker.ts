// The log reader's thread (see log-reader.ts): it owns a read connection of the event log and answers each
// page asked for with its rows, so stepping SQLite through the page runs beside the event loop, which
// meanwhile folds the page before.
import { parentPort, workerData } from 'node:worker_threads';
import { openEventLog } from './schema.ts';
import { prepareStatements, readAfterWithoutMetadata, type RowWithoutMetadata } from './statements.ts';
import { toWire, type WireError } from './wire.ts';

/** A page of the log: up to `limit` events after `fromPosition`, of `types` when given. */
export interface PageAsked {
  fromPosition: number;
  limit: number;
  types: readonly string[] | undefined;
}
export type ReaderRequest = PageAsked | { close: true };
export type ReaderReply = { rows: RowWithoutMetadata[] } | { failed: WireError };

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread of log-reader.ts');
const db = openEventLog((workerData as { file: string }).file);
const statements = prepareStatements(db);

port.on('message', (request: ReaderRequest) => {
  if ('close' in request) {
    db.close();
    port.close();
    return;
  }
  try {
    const { fromPosition, limit, types } = request;
    const rows = readAfterWithoutMetadata(statements, fromPosition, limit, types);
    port.postMessage({ rows } satisfies ReaderReply);
  } catch (error) {
    port.postMessage({ failed: toWire(error) });
  }
});
