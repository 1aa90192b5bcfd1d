import type { Document, ReadStore, Versioned } from '@ferry/read-store';

/** What the read store answers for a document never written. */
const NEVER_WRITTEN: Versioned<Document> = { doc: null, position: 0 };

/**
 * What one projection's catch-up knows of the read store's documents. A catch-up from position 0 folds
 * every event of every document, so a document it has not written yet was never written by this log
 * (another projector of the same projection writes the same documents, and the store keeps the newest):
 * it is not looked up. In a rebuild that is most lookups, one for each document's first event. Only the ids
 * written are kept, not the documents (keeping the documents held much of the read model in memory, and
 * collecting it afterwards cost about what the lookups saved); past `capacity` ids, or when the catch-up
 * did not start at 0, every document is read from the store.
 */
export class ReplayDocuments {
  readonly #written = new Set<string>();
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

  /** The document with the position that last wrote it, as the store holds it. */
  get(id: string): Versioned<Document> | Promise<Versioned<Document>> {
    return this.#complete && !this.#written.has(id)
      ? NEVER_WRITTEN
      : this.#readStore.getVersioned(this.#collection, id);
  }

  /** Called once the batch that read or wrote `documents` is committed. */
  remember(documents: ReadonlyMap<string, Versioned<Document>>): void {
    if (!this.#complete) return;
    for (const id of documents.keys()) this.#written.add(id);
    if (this.#written.size > this.#capacity) {
      this.#complete = false;
      this.#written.clear();
    }
  }
}
