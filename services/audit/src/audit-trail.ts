import { ALL_EVENTS_SUBJECT } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { RecordedEvent } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';

export const AUDIT_COLLECTION = 'audit_trail';

/** One entry of the trail: who did what, when, to which entity, and the event's data (secrets stay sealed). */
export const auditEntry = (event: RecordedEvent) => ({
  id: event.id,
  position: event.position,
  at: event.metadata.occurredAt,
  actor: event.metadata.actor,
  correlationId: event.metadata.correlationId,
  stream: event.streamName,
  type: event.type,
  data: event.data,
});

/**
 * The audit subscriber: consumes the events on the bus (queue group `ferry-audit`, so replicas share them)
 * into an append-only trail keyed by event id, which makes a redelivered event harmless.
 */
export const startAuditTrail = async (bus: Bus, reads: ReadStore) => {
  const subscription = await bus.subscribe(
    ALL_EVENTS_SUBJECT,
    async (payload) => {
      const event = payload as RecordedEvent;
      await reads.commit('audit-trail', event.position, [
        { collection: AUDIT_COLLECTION, op: 'put', doc: auditEntry(event) },
      ]);
    },
    { queue: 'ferry-audit' },
  );
  return { stop: () => subscription.unsubscribe() };
};
