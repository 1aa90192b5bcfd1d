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
  /**
   * By event type, top-level fields of the data that `evolve` only copies into the document, or ignores,
   * and never looks into: a catch-up may hand them over as `JsonText` (see `ReadAllOptions.textFields`),
   * which the document's JSON takes as it is. The document then holds the JsonText in place of the value
   * until it is stored; read back, it holds the value.
   */
  readonly textFields?: Readonly<Record<string, readonly string[]>>;
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

/**
 * The `textFields` a catch-up of `projections` may ask for: of each type, the fields that every projection
 * handling it lists, since one that reads a field needs it parsed.
 */
export function sharedTextFields(projections: readonly Projection[]): Record<string, string[]> {
  const listed = (projection: Projection, type: string) =>
    projection.textFields && Object.hasOwn(projection.textFields, type) ? projection.textFields[type]! : [];
  const shared: Record<string, string[]> = {};
  for (const type of new Set(projections.flatMap((p) => [...p.handles]))) {
    const [first, ...others] = projections.filter((p) => p.handles.has(type));
    const fields = listed(first!, type).filter((field) =>
      others.every((p) => listed(p, type).includes(field)),
    );
    if (fields.length > 0) shared[type] = fields;
  }
  return shared;
}
