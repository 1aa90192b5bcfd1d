import type { EventStore, EventSubscription, RecordedEvent } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';
import { foldBatch } from './fold-batch.ts';
import { subscribeInTurnBatches } from './turn-batches.ts';
import type { Projection } from './projection.ts';

export interface Projector {
  /** Resolves once every projection has applied the event at `position` (read-your-writes). */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Empties every read model and replays the whole log into it. */
  rebuild(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps read models up to date from the event log. The events delivered in one turn of the event loop
 * (`subscribeInTurnBatches`: a page read while catching up or replaying, the appends of concurrent writers
 * when live, up to 1,000) are folded into each projection (`fold-batch.ts`), and the changes of all
 * projections are written with their checkpoints in one `commitAll` (one transaction on SQLite and
 * PostgreSQL), so a crash re-applies at most nothing and a restart resumes exactly after the last
 * committed batch. Several projectors of the same projections may run at once (replicas of a service): the read store ignores a
 * write not newer than the document it replaces, and a batch skips the events a document already holds,
 * so one that lags behind cannot move a document or a checkpoint back.
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

  const apply = async (batch: RecordedEvent[]) => {
    const commits = [];
    for (const projection of projections) {
      const commit = await foldBatch(readStore, projection, batch, checkpoints.get(projection.name) ?? 0);
      if (commit) commits.push(commit);
    }
    if (commits.length > 0) await readStore.commitAll(commits);
    for (const { projection, position } of commits) checkpoints.set(projection, position);
    reached = Math.max(reached, batch.at(-1)?.position ?? 0);
    const due = waiters.filter((w) => w.position <= reached);
    waiters = waiters.filter((w) => w.position > reached);
    for (const waiter of due) waiter.resolve();
  };

  const run = async () => {
    checkpoints = new Map();
    for (const p of projections) checkpoints.set(p.name, await readStore.checkpoint(p.name));
    const from = Math.min(...checkpoints.values());
    reached = Math.max(reached, from);
    subscription = subscribeInTurnBatches(events, from, apply, onError);
  };

  const halt = async () => {
    await subscription?.close();
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
