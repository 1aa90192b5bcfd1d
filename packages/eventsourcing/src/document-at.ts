import type { EventStore } from '@ferry/event-store';
import type { Document, ReadStore } from '@ferry/read-store';
import type { Projection } from './projection.ts';

/** A read-model document that records the revision of its stream it reflects (the ETag). */
export type RevisionedDocument = Document & { revision: number };

/** Where to look: one document of a projection, fed by the events of one stream, at one of its revisions. */
export interface DocumentLocation {
  stream: string;
  id: string;
  revision: number;
}

/**
 * The document as `projection` made it right after `at.revision` of `at.stream`: what a command that left
 * the stream there answers. The read model may already show a later writer's events (another request,
 * another replica's projector on the same read store), or, after a command that appended nothing, not yet
 * all of ours; then the stream is folded through the same pure `evolve`, from the stored document when it
 * is not past the revision, else from nothing. Each step goes through JSON as a stored document does, so
 * the result has the keys, values and key order the projector would have stored at that revision.
 *
 * Requires every event that touches the document to come from `at.stream`, and `revision` to be set to
 * the revision of the last event applied to it. `null`: no document at that revision (absent or deleted).
 */
export const documentAt = async <Doc extends RevisionedDocument>(
  stores: { events: EventStore; reads: ReadStore },
  projection: Projection<Doc>,
  at: DocumentLocation,
): Promise<Doc | null> => {
  const stored = await stores.reads.get<Doc>(projection.collection, at.id);
  if (stored?.revision === at.revision) return stored;
  const from = stored && stored.revision < at.revision ? stored : null;
  const events = await stores.events.readStream(at.stream, { fromRevision: (from?.revision ?? -1) + 1 });
  return events
    .filter((e) => e.revision <= at.revision && projection.handles.has(e.type))
    .filter((e) => projection.documentId(e) === at.id)
    .reduce<Doc | null>((doc, e) => asStored(projection.evolve(doc, e)), from);
};

const asStored = <Doc>(doc: Doc | null): Doc | null =>
  doc === null ? null : JSON.parse(JSON.stringify(doc));
