import type { Document, ReadStore, Versioned } from '@ferry/read-store';

/** What the read store answers for a document never written. */
const NEVER_WRITTEN: Versioned<Document> = { doc: null, position: 0 };

/**
 * The documents one projection's catch-up has committed, kept between its batches so that a replay does not
 * read back from the read store what it has just written there. A catch-up from position 0 folds every event
 * of every document, so a document it does not hold was never written by this log (another projector of the
 * same projection writes the same documents, and the store keeps the newest): it is not read either. Past
 * `capacity` the oldest are forgotten, and from then on a document not held is read from the store, where
 * it was committed.
 */
export class ReplayDocuments {
  readonly #documents = new Map<string, Versioned<Document>>();
  readonly #readStore: ReadStore;
  readonly #collection: string;
  readonly #capacity: number;
  #complete: boolean;

  constructor(readStore: ReadStore, collection: string, fromStart: boolean, capacity: number) {
    this.#readStore = readStore;
    this.#collection = collection;
    this.#complete = fromStart;
    this.#capacity = capacity;
  }

  /** The document as the store holds it now (this catch-up's commits are the newest it can hold). */
  get(id: string): Versioned<Document> | Promise<Versioned<Document>> {
    return (
      this.#documents.get(id) ??
      (this.#complete ? NEVER_WRITTEN : this.#readStore.getVersioned(this.#collection, id))
    );
  }

  /** Called once the batch that folded `documents` is committed. */
  remember(documents: ReadonlyMap<string, Versioned<Document>>): void {
    for (const [id, document] of documents) {
      this.#documents.delete(id); // re-inserted: the oldest are the least recently folded
      this.#documents.set(id, document);
    }
    for (const id of this.#documents.keys()) {
      if (this.#documents.size <= this.#capacity) break;
      this.#documents.delete(id);
      this.#complete = false;
    }
  }
}
