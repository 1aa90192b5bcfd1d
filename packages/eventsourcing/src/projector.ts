import type { EventStore, EventSubscription, RecordedEvent } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';
import { changeOf, type Projection } from './projection.ts';

export interface Projector {
  /** Resolves once every projection has applied the event at `position` (read-your-writes). */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Empties every read model and replays the whole log into it. */
  rebuild(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps read models up to date from the event log. Each event is applied per projection in one
 * `commit` together with that projection's checkpoint, so a crash re-applies at most nothing and a
 * restart resumes exactly after the last committed event. Several projectors of the same projections may
 * run at once (replicas of a service): the read store ignores a write not newer than the document it
 * replaces, so one that lags behind cannot move a document or a checkpoint back.
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

  const apply = async (event: RecordedEvent, checkpoints: Map<string, number>) => {
    for (const projection of projections) {
      if ((checkpoints.get(projection.name) ?? 0) >= event.position) continue;
      const change = projection.handles.has(event.type) ? [await evolveOne(projection, event)] : [];
      await readStore.commit(projection.name, event.position, change);
      checkpoints.set(projection.name, event.position);
    }
    reached = event.position;
    const due = waiters.filter((w) => w.position <= reached);
    waiters = waiters.filter((w) => w.position > reached);
    for (const waiter of due) waiter.resolve();
  };

  const evolveOne = async (projection: Projection, event: RecordedEvent) => {
    const id = projection.documentId(event);
    const doc = projection.evolve(await readStore.get(projection.collection, id), event);
    return changeOf(projection, id, doc);
  };

  const run = async () => {
    const checkpoints = new Map<string, number>();
    for (const p of projections) checkpoints.set(p.name, await readStore.checkpoint(p.name));
    const from = Math.min(...checkpoints.values());
    reached = Math.max(reached, from);
    subscription = events.subscribeToAll(from, (event) => apply(event, checkpoints), onError);
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
      await subscription?.close();
      for (const p of projections) await readStore.reset(p.name, [p.collection]);
      reached = 0;
      await run();
      await new Promise<void>((resolve) => {
        void events
          .headPosition()
          .then((head) => (head <= reached ? resolve() : waiters.push({ position: head, resolve })));
      });
    },
    stop: async () => {
      await subscription?.close();
    },
  };
};
