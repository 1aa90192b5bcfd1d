import type { EventStore, EventSubscription, EventWithoutMetadata } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';
import { catchUp } from './catch-up.ts';
import { type FoldedBatch, foldBatch } from './fold-batch.ts';
import { lateCheckpoints } from './late-checkpoints.ts';
import { type Projection, sharedTextFields } from './projection.ts';
import { ReplayDocuments } from './replay-documents.ts';
import { subscribeInTurnBatches } from './turn-batches.ts';

export interface Projector {
  /** Resolves once every projection has applied the event at `position` (read-your-writes). */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Empties every read model and replays the whole log into it. */
  rebuild(): Promise<void>;
  stop(): Promise<void>;
}

/** The most document ids of one projection a catch-up remembers (see `replay-documents.ts`). */
const REPLAY_DOCUMENTS = 100_000;

/**
 * Keeps read models up to date from the event log. It first catches up (`catch-up.ts`): it reads the log
 * from the lowest checkpoint in pages of only the event types its projections handle (the fields they only
 * copy left unparsed where the store can: `Projection.textFields`), and a replay from 0
 * does not look up documents it has not written yet (`replay-documents.ts`); then it subscribes from
 * where the catch-up ended. The events of a page, or those delivered in one turn of the event loop once
 * live (`subscribeInTurnBatches`: the appends of concurrent writers), are folded into each projection (`fold-batch.ts`), and the
 * changes of all projections are written with their checkpoints in one `commitAll` (one transaction on
 * SQLite and PostgreSQL), so a crash re-applies at most nothing and a restart resumes exactly after the
 * last committed batch. Several projectors of the same projections may run at once (replicas of a
 * service): the read store ignores a write not newer than the document it replaces, and a batch skips the
 * events a document already holds, so one that lags behind cannot move a document or a checkpoint back.
 */
export const startProjector = async (
  events: EventStore,
  readStore: ReadStore,
  projections: readonly Projection[],
  onError: (error: unknown) => void,
): Promise<Projector> => {
  let reached = 0;
  let waiters: { position: number; resolve: () => void }[] = [];
  let subscription: EventSubscription | undefined;
  let checkpoints = new Map<string, number>();
  let catchingUp: Promise<void> | undefined;
  let stopping = false;
  const reads = {
    types: [...new Set(projections.flatMap((p) => [...p.handles]))],
    textFields: sharedTextFields(projections),
  };
  const late = lateCheckpoints(readStore, onError);

  /**
   * Folds `batch` into every projection and commits them all at `through`; `replay` during a catch-up, with
   * `more` when the catch-up's next page follows at once.
   */
  const apply = async (
    batch: EventWithoutMetadata[],
    through = batch.at(-1)?.position ?? 0,
    replay?: Map<string, ReplayDocuments>,
    more = false,
  ) => {
    const folded: FoldedBatch[] = [];
    for (const projection of projections) {
      const known = replay?.get(projection.name);
      const lookup = known
        ? (id: string) => known.get(id)
        : (id: string) => readStore.getVersioned(projection.collection, id);
      const checkpoint = checkpoints.get(projection.name) ?? 0;
      const batchFolded = await foldBatch(projection, batch, checkpoint, through, lookup);
      if (batchFolded) folded.push(batchFolded);
    }
    // A live batch that changes no document (the events of another service's aggregates) only moves the
    // checkpoints, which nothing reads until a restart: they are written late instead of committed now.
    const commits = folded.map((f) => f.commit);
    if (commits.length === 0) {
      // nothing after every checkpoint
    } else if (!replay && commits.every((c) => c.changes.length === 0)) late.defer(commits);
    else {
      late.drop();
      await readStore.commitAll(commits, { more });
    }
    for (const { commit, documents } of folded) {
      checkpoints.set(commit.projection, commit.position);
      replay?.get(commit.projection)?.remember(documents);
    }
    reached = Math.max(reached, through);
    const due = waiters.filter((w) => w.position <= reached);
    waiters = waiters.filter((w) => w.position > reached);
    for (const waiter of due) waiter.resolve();
  };

  /** Catches up from `from`, then follows the log live; a failure reaches `onError`, as a handler's would. */
  const follow = async (from: number) => {
    const replay = new Map(
      projections.map((p) => [
        p.name,
        new ReplayDocuments(readStore, p.collection, checkpoints.get(p.name) === 0, REPLAY_DOCUMENTS),
      ]),
    );
    try {
      const end = await catchUp(
        events,
        from,
        reads,
        (page, through, more) => apply(page, through, replay, more),
        () => stopping,
      );
      if (!stopping) subscription = subscribeInTurnBatches(events, end, (batch) => apply(batch), onError);
    } catch (error) {
      onError(error);
    }
  };

  const run = async () => {
    stopping = false;
    checkpoints = new Map();
    for (const p of projections) checkpoints.set(p.name, await readStore.checkpoint(p.name));
    const from = Math.min(...checkpoints.values());
    reached = Math.max(reached, from);
    catchingUp = follow(from);
  };

  const halt = async () => {
    stopping = true;
    await catchingUp;
    await subscription?.close();
    await late.save();
  };

  await run();
  return {
    waitFor: (position, timeoutMs = 10_000) =>
      position <= reached
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`read models did not reach ${position}`)),
              timeoutMs,
            );
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            waiters.push({ position, resolve: done });
          }),
    rebuild: async () => {
      await halt();
      for (const p of projections) await readStore.reset(p.name, [p.collection]);
      reached = 0;
      await run();
      await new Promise<void>((resolve) => {
        void events
          .headPosition()
          .then((head) => (head <= reached ? resolve() : waiters.push({ position: head, resolve })));
      });
    },
    stop: halt,
  };
};
