import type { EventWithoutMetadata, RecordedEvent } from '@ferry/event-store';
import type { Change, Document } from '@ferry/read-store';

/**
 * A read model's projection is data plus a pure `evolve`: which events it reads, which document each
 * one touches, and the new document (`null` deletes it). No I/O, so a rebuild gives the same bytes. It
 * reads an event without its metadata: a read model keeps none, and a replay does not parse it.
 */
export interface Projection<Doc extends Document = Document> {
  readonly name: string;
  readonly collection: string;
  readonly handles: ReadonlySet<string>;
  documentId(event: EventWithoutMetadata): string;
  evolve(doc: Doc | null, event: EventWithoutMetadata): Doc | null;
}

export const changeOf = (projection: Projection, id: string, doc: Document | null): Change =>
  doc === null
    ? { collection: projection.collection, op: 'delete', id }
    : { collection: projection.collection, op: 'put', doc };

/** Epoch seconds of an event's decision time: the API's unit for createdAt/updatedAt. */
export const epochSeconds = (event: RecordedEvent): number =>
  Math.floor(Date.parse(event.metadata.occurredAt) / 1000);
