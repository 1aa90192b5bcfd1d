import type { EventStore, RecordedEvent } from '@ferry/event-store';
import { type BatchSubscription, subscribeInTurnBatches } from '@ferry/eventsourcing';
import type { ResourceModels } from '@ferry/history';
import type { Change, ReadStore } from '@ferry/read-store';
import { COLLECTIONS, type ResourceState, trailStep } from './entry.ts';

/** The checkpoint's name; a new name replays the whole log into the trail's collections. */
export const TRAIL = 'audit-trail-2';
/** The trail's first checkpoint, whose index ids could collide (16 inverted digits): emptied at start. */
const FIRST_TRAIL = 'audit-log';
/**
 * How long a batch waits for more events while nobody waits for the trail. Only `audit/list` reads it, and
 * it waits for the trail (which hurries the batch), so the trail can take many turns' events in one commit.
 */
const LINGER_MS = 100;

export interface AuditTrail {
  /** Resolves once the trail holds the event at `position`. */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Empties the trail and replays the whole log into it. */
  rebuild(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the audit trail from the event log itself rather than from the bus, so no entry is ever missed
 * (core NATS delivers at most once) and a rebuild gives it back whole. The events of a batch (one turn's,
 * or `LINGER_MS`' while nobody waits for the trail) are one commit: each event's entry, its index
 * documents and its resource's new state, each change at its event's position, with the checkpoint at the
 * last; within a batch an event sees the resources as the events before it left them. Another replica
 * that is ahead has written all of that already, and its writes win (the read store keeps the newest), so
 * an event whose resource state is already past it adds nothing.
 */
export const startAuditTrail = async (
  events: EventStore,
  reads: ReadStore,
  models: ResourceModels,
  onError: (error: unknown) => void,
): Promise<AuditTrail> => {
  let reached = 0;
  let waiters: { position: number; resolve: () => void }[] = [];
  let subscription: BatchSubscription | undefined;

  /** The changes of a batch, each resource read once and then kept as the batch leaves it. */
  const changesOf = async (batch: RecordedEvent[]): Promise<Change[]> => {
    const states = new Map<string, ResourceState | null>();
    const resource = async (id: string) => {
      if (!states.has(id)) states.set(id, await reads.get<ResourceState>(COLLECTIONS.resources, id));
      return states.get(id) ?? null;
    };
    const lookup = async (category: string, id: string) => (await resource(`${category}-${id}`))?.doc ?? null;
    const changes: Change[] = [];
    for (const event of batch) {
      const before = await resource(event.streamName);
      if (before && before.position >= event.position) continue;
      const step = await trailStep(event, before, models, lookup);
      states.set(event.streamName, step.state);
      const position = event.position;
      changes.push(
        { collection: COLLECTIONS.entries, op: 'put', doc: step.entry, position },
        ...step.index.map((doc) => ({ collection: COLLECTIONS.index, op: 'put' as const, doc, position })),
        { collection: COLLECTIONS.resources, op: 'put', doc: step.state, position },
      );
    }
    return changes;
  };

  const apply = async (batch: RecordedEvent[]) => {
    const last = batch.at(-1)!.position;
    await reads.commit(TRAIL, last, await changesOf(batch));
    reached = last;
    const due = waiters.filter((w) => w.position <= reached);
    waiters = waiters.filter((w) => w.position > reached);
    for (const waiter of due) waiter.resolve();
  };

  const run = async () => {
    const from = await reads.checkpoint(TRAIL);
    reached = Math.max(reached, from);
    subscription = subscribeInTurnBatches(events, from, apply, onError, () =>
      waiters.length > 0 ? 0 : LINGER_MS,
    );
  };

  const waitFor = (position: number, timeoutMs = 10_000) =>
    position <= reached
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`audit trail did not reach ${position}`)),
            timeoutMs,
          );
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          waiters.push({ position, resolve: done });
          subscription?.hurry();
        });

  if ((await reads.checkpoint(FIRST_TRAIL)) > 0) await reads.reset(FIRST_TRAIL, Object.values(COLLECTIONS));
  await run();
  return {
    waitFor,
    rebuild: async () => {
      await subscription?.close();
      await reads.reset(TRAIL, Object.values(COLLECTIONS));
      reached = 0;
      await run();
      await waitFor(await events.headPosition(), 10 * 60_000);
    },
    stop: async () => {
      await subscription?.close();
    },
  };
};
