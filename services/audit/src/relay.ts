import { eventSubject, HEADER } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';

const RELAY = 'event-relay';

/**
 * Publishes every stored event, in log order, on `ferry.events.<aggregate>.<EventType>` as plain JSON so any
 * NATS client can follow Ferry. Delivery is at least once: the checkpoint moves after the publish, so a
 * crash in between publishes that event again (subscribers dedupe by event `id`).
 */
export const startEventRelay = async (
  events: EventStore,
  reads: ReadStore,
  bus: Bus,
  onError: (e: unknown) => void,
) => {
  const from = await reads.checkpoint(RELAY);
  const subscription = events.subscribeToAll(
    from,
    async (event) => {
      await bus.publish(eventSubject(event.streamName, event.type), event, {
        [HEADER.correlationId]: event.metadata.correlationId,
        [HEADER.causationId]: event.metadata.causationId ?? '',
        [HEADER.actor]: event.metadata.actor,
      });
      await reads.commit(RELAY, event.position, []);
    },
    onError,
  );
  return { stop: () => subscription.close() };
};
