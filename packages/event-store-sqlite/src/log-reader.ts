import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { EventWithoutMetadata } from '@ferry/event-store';
import { startLogThread } from './log-threads.ts';
import type { PageAsked, ReaderReply, ReaderRequest } from './read-worker.ts';
import { type RowWithoutMetadata, withoutMetadata } from './statements.ts';
import { fromWire } from './wire.ts';

/** The read ahead of one caller: a catch-up asks for the same types and limit page after page. */
const callerOf = ({ limit, types }: PageAsked) => JSON.stringify([limit, types]);

/**
 * The reads of the log without metadata (a projector's catch-up, ADR 0028), read ahead on a thread of its
 * own (`read-worker.ts`, a connection of its own). A page is read here, on the caller's connection
 * (`readNow`); when it comes back full, the thread is asked at once for the one after it, so SQLite steps
 * through that page on the other core while the caller folds and commits this one, and the caller's next
 * read only takes the rows (a catch-up then takes about the longer of reading and folding, not their sum).
 * A log that fits in one page (a fresh start) never starts the thread, and the thread ends once a page
 * read is short (the end of the log) and nothing else is asked of it. A page read ahead is used only when
 * full: the log only grows at its end, in position order, so a full page is the same whenever it was read,
 * while a short one may predate events the caller has seen since (a head it read), and is read again.
 */
export function logReader(file: string, readNow: (asked: PageAsked) => RowWithoutMetadata[]) {
  let worker: Worker | undefined;
  const waiting: Array<{ resolve(rows: RowWithoutMetadata[]): void; reject(error: unknown): void }> = [];
  const ahead = new Map<string, { asked: PageAsked; rows: Promise<RowWithoutMetadata[]> }>();
  let broken: unknown;

  const onReply = (reply: ReaderReply) => {
    const next = waiting.shift();
    if (waiting.length === 0) worker?.unref();
    if ('failed' in reply) next?.reject(fromWire(reply.failed));
    else next?.resolve(reply.rows);
  };

  const onFailure = (error: unknown) => {
    broken = error;
    for (const pending of waiting.splice(0)) pending.reject(error);
  };

  const startWorker = () =>
    startLogThread(new URL('./read-worker.ts', import.meta.url), file, onReply, onFailure);

  /** Closes the thread's connection and the thread once it has answered what it was asked. */
  const retire = async () => {
    const retiring = worker;
    worker = undefined;
    if (broken || !retiring) return;
    const exited = once(retiring, 'exit');
    retiring.ref();
    retiring.postMessage({ close: true } satisfies ReaderRequest);
    await exited;
  };

  const readAhead = (asked: PageAsked) => {
    const rows = new Promise<RowWithoutMetadata[]>((resolve, reject) => {
      worker ??= startWorker();
      worker.ref();
      waiting.push({ resolve, reject });
      worker.postMessage(asked satisfies ReaderRequest);
    });
    rows.catch(() => {}); // a failure reaches the read that takes these rows, if one does
    ahead.set(callerOf(asked), { asked, rows });
  };

  /** The rows read ahead for exactly `asked`, if the page was full; else none. */
  const takeAhead = async (asked: PageAsked) => {
    const caller = callerOf(asked);
    const read = ahead.get(caller);
    ahead.delete(caller);
    if (read?.asked.fromPosition !== asked.fromPosition) return undefined;
    const rows = await read.rows;
    return rows.length === asked.limit ? rows : undefined;
  };

  return {
    /** Up to `limit` events (-1: all) after `fromPosition`, of `types` when given, without metadata. */
    async read(asked: PageAsked): Promise<EventWithoutMetadata[]> {
      const rows = (await takeAhead(asked)) ?? readNow(asked);
      const last = rows.at(-1);
      if (last && rows.length === asked.limit && !broken) readAhead({ ...asked, fromPosition: last[0] });
      // The end of the log: the thread is not kept for a catch-up that may not come (its heap would stay).
      else if (ahead.size === 0 && waiting.length === 0) void retire();
      return rows.map(withoutMetadata);
    },
    /** Waits for the reads in flight, then closes the thread's connection and the thread. */
    async close() {
      ahead.clear();
      await retire();
    },
  };
}
