// The log reader's thread (see log-reader.ts): it owns a read connection of the event log and answers each
// page asked for with its rows, so stepping SQLite through the page runs beside the event loop, which
// meanwhile folds the page before.
import { type Failed, serveLog } from './log-threads.ts';
import { readAfterWithoutMetadata, type RowWithoutMetadata } from './statements.ts';

/** A page of the log: up to `limit` events after `fromPosition`, of `types` when given. */
export interface PageAsked {
  fromPosition: number;
  limit: number;
  types: readonly string[] | undefined;
}
export type ReaderRequest = PageAsked | { close: true };
export type ReaderReply = { rows: RowWithoutMetadata[] } | Failed;

serveLog<PageAsked>('read-worker.ts', (_db, statements, { fromPosition, limit, types }) => ({
  rows: readAfterWithoutMetadata(statements, fromPosition, limit, types),
}));
