import type { EventStore, RecordedEvent } from '@ferry/event-store';
import { startProjector, type Projection } from '@ferry/eventsourcing';
import type { Document, ReadStore } from '@ferry/read-store';

export const AUDIT_COLLECTION = 'audit_trail';

/** One entry of the trail: who did what, when, to which entity, and the event's data (secrets stay sealed). */
export const auditEntry = (event: RecordedEvent) => ({
  id: event.id,
  position: event.position,
  at: event.metadata.occurredAt,
  actor: event.metadata.actor,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  stream: event.streamName,
  type: event.type,
  data: event.data,
});

/**
 * The audit trail: an immutable entry per event, read from the event log itself rather than from the
 * bus, so no entry is ever missed (core NATS delivers at most once) and a rebuild gives it back whole.
 */
export const auditProjection: Projection<Document> = {
  name: 'audit-trail',
  collection: AUDIT_COLLECTION,
  handles: { has: () => true } as unknown as ReadonlySet<string>,
  documentId: (event) => event.id,
  evolve: (_doc, event) => auditEntry(event),
};

export const startAuditTrail = (events: EventStore, reads: ReadStore, onError: (e: unknown) => void) =>
  startProjector(events, reads, [auditProjection], onError);
