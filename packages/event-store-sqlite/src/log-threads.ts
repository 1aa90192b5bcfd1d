import type { DatabaseSync } from 'node:sqlite';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { openEventLog } from './schema.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { toWire, type WireError } from './wire.ts';

/** What a thread of the log answers a request it could not serve. */
export type Failed = { failed: WireError };

/**
 * Starts a thread of the store on the log `file` (the writer's, the reader's): `script` runs `serveLog`.
 * It is unreferenced, so an idle thread does not keep the process alive; the caller refs it while a
 * request is in flight.
 */
export const startLogThread = <Reply>(
  script: URL,
  file: string,
  onReply: (reply: Reply) => void,
  onFailure: (error: unknown) => void,
) => {
  const started = new Worker(script, { workerData: { file } });
  started.unref();
  started.on('message', onReply);
  started.on('error', onFailure);
  return started;
};

/**
 * The thread's side: a connection of its own to the log, and each request answered in order with what
 * `answer` returns, or with the error it threw (its class kept across, `wire.ts`), until asked to close.
 */
export const serveLog = <Request extends object>(
  script: string,
  answer: (db: DatabaseSync, statements: Statements, request: Request) => unknown,
) => {
  const port = parentPort;
  if (!port) throw new Error(`${script} runs as a worker thread of the SQLite event store`);
  const db = openEventLog((workerData as { file: string }).file);
  const statements = prepareStatements(db);
  port.on('message', (request: Request | { close: true }) => {
    if ('close' in request) {
      db.close();
      port.close();
      return;
    }
    try {
      port.postMessage(answer(db, statements, request));
    } catch (error) {
      port.postMessage({ failed: toWire(error) } satisfies Failed);
    }
  });
};
