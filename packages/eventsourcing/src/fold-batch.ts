import type { EventWithoutMetadata } from '@ferry/event-store';
import type { Change, Document, ProjectionCommit, Versioned } from '@ferry/read-store';
import { changeOf, type Projection } from './projection.ts';

/** Where a fold finds a document it has not read yet: the read store, or a replay's memory of it. */
export type DocumentLookup = (id: string) => Versioned<Document> | Promise<Versioned<Document>>;

export interface FoldedBatch {
  commit: ProjectionCommit;
  /** Every document the batch read or wrote, with its position once the commit lands. */
  documents: ReadonlyMap<string, Versioned<Document>>;
}

/**
 * Folds a batch of events (in log order) into one projection and returns its commit at `through` (the
 * batch's last position, or further when the events between were of types the projection skips), with the
 * changes to write; null when the batch holds nothing after `checkpoint`. Each document is looked up once
 * per batch, with the position that last wrote it, and kept in memory while the batch folds into it; an
 * event the stored document already holds (another projector of the same projection wrote it) is skipped,
 * so the fold never applies an event twice. Each change carries its event's position, so the documents and
 * their positions are the same whatever the batches were. A projection that handles none of the events
 * still gets a commit, to move its checkpoint.
 */
export async function foldBatch(
  projection: Projection,
  events: readonly EventWithoutMetadata[],
  checkpoint: number,
  through: number,
  lookup: DocumentLookup,
): Promise<FoldedBatch | null> {
  if (through <= checkpoint) return null;
  const documents = new Map<string, Versioned<Document>>();
  const changes = new Map<string, Change>();
  for (const event of events) {
    if (event.position <= checkpoint || !projection.handles.has(event.type)) continue;
    const id = projection.documentId(event);
    const stored = documents.get(id) ?? (await lookup(id));
    if (event.position <= stored.position) {
      documents.set(id, stored);
      continue;
    }
    const doc = projection.evolve(stored.doc, event);
    documents.set(id, { doc, position: event.position });
    changes.delete(id); // re-inserted: the commit keeps the order of the last changes
    changes.set(id, { ...changeOf(projection, id, doc), position: event.position });
  }
  return {
    commit: { projection: projection.name, position: through, changes: [...changes.values()] },
    documents,
  };
}
