import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { DocumentWrite } from '@ferry/read-store';
import type { CatchUpReply, CatchUpRequest } from './catch-up-thread.ts';
import type { CheckedCommit } from './commits.ts';

/**
 * The most batches sent and not yet landed. The thread lands four at a time, and takes 0.1–0.2 s of CPU to
 * start (run from sources, stripping its modules' types): a catch-up folds 20 to 40 pages meanwhile, and
 * with only 8 allowed the loop waited for it 0.2–0.4 s per replay of the bench's log.
 */
const MOST_IN_FLIGHT = 32;

interface Sent {
  batch: number;
  projections: readonly string[];
}

/**
 * A catch-up's full pages (`commitAll`'s `more`) written on a thread of their own (`catch-up-thread.ts`,
 * its own connection), so SQLite's upserts and COMMITs of page n run on the second core while the event
 * loop reads, parses and folds page n+1. The thread starts with the first such batch and ends when the
 * store's connection next writes (`end`: a catch-up's last page, a live commit, a reset, a close), so a
 * process that has caught up keeps no second heap.
 *
 * Read-your-writes: until its batch has landed, each document sent is kept (`latest`) and the store
 * answers a point read from it; once the thread confirms a landing, `onLanded` lets the store end its
 * turn's read snapshot (which may predate that COMMIT) before those documents are forgotten. Reads of
 * whole collections and checkpoints wait for the thread to land everything first (`drain`).
 *
 * A failure on the thread loses every batch not yet landed: their projections fail their next commit with
 * that error (see port.ts), and the thread is ended.
 */
export function catchUpWriter(file: string, onLanded: () => void) {
  let worker: Worker | undefined;
  let sent: Sent[] = [];
  let numbered = 0;
  // By collection, then id: the newest write of each document sent and not yet landed, with its batch.
  const inFlight = new Map<string, Map<string, { batch: number; write: DocumentWrite }>>();
  const lost = new Map<string, unknown>();
  const waiting: Array<() => void> = [];
  let landing = false;

  const wake = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  const onReply = (reply: CatchUpReply) => {
    onLanded();
    if ('failed' in reply) {
      for (const { projections } of sent) for (const p of projections) lost.set(p, reply.failed);
      sent = [];
      inFlight.clear();
      void stop();
    } else {
      sent = sent.filter(({ batch }) => batch > reply.landed);
      for (const kept of inFlight.values()) {
        for (const [id, { batch }] of kept) if (batch <= reply.landed) kept.delete(id);
      }
    }
    wake();
  };
  const onFailure = (error: unknown) => onReply({ failed: error });
  /** Ends the thread; resolves once it has closed its connection. */
  const stop = async () => {
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage({ close: true } satisfies CatchUpRequest);
    worker = undefined;
    await exited;
  };
  // Other connections see a batch once the turn that sent it ends, as with batches held on this one.
  const landAtEndOfTurn = () => {
    landing = false;
    if (sent.length > 0) worker?.postMessage({ land: true } satisfies CatchUpRequest);
  };
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : waiting.push(check));
      check();
    });

  const writer = {
    /** Throws the error that lost a batch of one of `projections`. */
    check(projections: readonly string[]): void {
      for (const projection of projections) if (lost.has(projection)) throw lost.get(projection);
    },
    /** Sends `commits` (one `commitAll`) to the thread; resolves once fewer than the most are in flight. */
    async send(commits: CheckedCommit[]): Promise<void> {
      writer.check(commits.map((c) => c.projection));
      if (!worker) {
        worker = new Worker(new URL('./catch-up-thread.ts', import.meta.url), { workerData: { file } });
        worker.on('message', onReply);
        worker.on('error', onFailure);
      }
      numbered += 1;
      for (const { writes } of commits) {
        for (const write of writes) {
          const kept = inFlight.get(write.collection) ?? new Map();
          inFlight.set(write.collection, kept);
          kept.set(write.id, { batch: numbered, write });
        }
      }
      sent.push({ batch: numbered, projections: commits.map((c) => c.projection) });
      worker.postMessage({ batch: numbered, commits } satisfies CatchUpRequest);
      if (!landing) {
        landing = true;
        setImmediate(landAtEndOfTurn);
      }
      await until(() => sent.length < MOST_IN_FLIGHT);
    },
    /** The newest write of a document not yet landed, if any. */
    latest(collection: string, id: string): DocumentWrite | undefined {
      return inFlight.get(collection)?.get(id)?.write;
    },
    /** Resolves once every batch sent has landed (or was lost). */
    async drain(): Promise<void> {
      if (sent.length === 0) return;
      worker?.postMessage({ land: true } satisfies CatchUpRequest);
      await until(() => sent.length === 0);
    },
    /**
     * Drains, then ends the thread: the store's own connection is about to write, and must not wait on
     * SQLite's busy timeout for a thread holding the write lock (another catch-up may start one meanwhile).
     */
    async end(): Promise<void> {
      while (worker || sent.length > 0) {
        await writer.drain();
        await stop();
      }
    },
    /** A reset projection starts over: a lost batch no longer fails it. */
    forget(projection: string): void {
      lost.delete(projection);
    },
  };
  return writer;
}
