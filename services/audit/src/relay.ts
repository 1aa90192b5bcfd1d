import { eventSubject, HEADER } from '@ferry/contracts';
import type { Bus, DurableEvents } from '@ferry/bus';
import type { EventStore, RecordedEvent } from '@ferry/event-store';
import { lateCheckpoints, subscribeInTurnBatches } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';

const RELAY = 'event-relay';
/** A publish that failed is tried again after this, doubled each time up to RETRY_MAX_MS. */
const RETRY_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Publishes every stored event, in log order, on `ferry.events.<aggregate>.<EventType>` as plain JSON so any
 * NATS client can follow Ferry. Delivery is at least once: the checkpoint moves after the publishes it
 * covers, so a crash in between publishes those events again (subscribers dedupe by event `id`). A publish
 * that fails is tried again until it succeeds, never skipped.
 *
 * With `durable` (JetStream), events are published through it instead: core subscribers get them just the
 * same, and the stream stores each once (its message id is the event id). The relay starts after the
 * stream's last event when that is further than its checkpoint (it crashed between the two).
 */
export const startEventRelay = async (
  events: EventStore,
  reads: ReadStore,
  bus: Bus,
  onError: (e: unknown) => void,
  durable?: DurableEvents,
) => {
  const from = Math.max(await reads.checkpoint(RELAY), (await durable?.lastPosition()) ?? 0);
  let stopped = false;
  const publishOnce = (event: RecordedEvent) => {
    const subject = eventSubject(event.streamName, event.type);
    const headers = {
      [HEADER.correlationId]: event.metadata.correlationId,
      [HEADER.causationId]: event.metadata.causationId ?? '',
      [HEADER.actor]: event.metadata.actor,
    };
    return durable ? durable.publish(subject, event, headers) : bus.publish(subject, event, headers);
  };
  const publish = async (event: RecordedEvent) => {
    for (let wait = RETRY_MS; ; wait = Math.min(wait * 2, RETRY_MAX_MS)) {
      try {
        return await publishOnce(event);
      } catch (error) {
        if (stopped) throw error;
        onError(error);
        await new Promise((resume) => setTimeout(resume, wait));
      }
    }
  };
  // Nothing waits for the relay's checkpoint: it is written late, after the publishes it covers.
  const checkpoint = lateCheckpoints(reads, onError);
  const subscription = subscribeInTurnBatches(
    events,
    from,
    async (batch) => {
      for (const event of batch) await publish(event);
      checkpoint.defer([{ projection: RELAY, position: batch.at(-1)!.position }]);
    },
    onError,
  );
  return {
    stop: async () => {
      stopped = true;
      await subscription.close();
      await checkpoint.save();
    },
  };
};
