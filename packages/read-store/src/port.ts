/**
 * The read-model store port. SQLite (embedded), PostgreSQL and MongoDB implement it; all run
 * `contract-suite.ts`.
 *
 * A read model is a set of collections of JSON documents keyed by `id`, written only by its projection.
 * Guarantees:
 * - `commit` applies its changes and moves the projection's checkpoint together: SQLite and PostgreSQL in
 *   one transaction;
 *   MongoDB writes the documents first and the checkpoint after, which is safe because replaying a
 *   projection's changes is idempotent (puts and deletes by id, ignored when not newer, see below).
 * - Writes are monotonic, so several projectors of one projection (replicas of a service, processes on
 *   one file) can run at once and a lagging or repeated one cannot regress anything:
 *   - every document remembers the position of the commit that last wrote it (put or delete), and a
 *     change whose commit position is not greater than the document's is ignored;
 *   - a delete leaves a tombstone holding its position, so an older put cannot bring the document back;
 *     `get` and `find` never return tombstones;
 *   - within one commit the changes apply in order, each judged against the document's position before
 *     that commit (only the last change to a document counts);
 *   - a projection's checkpoint only moves forward: a commit below it keeps it;
 *   - a commit may carry the changes of several events (a projector's batch): then each change names the
 *     event that made it (`position`, not above the commit's), the document records that position instead
 *     of the commit's, and the change is judged by it. So the stored positions, like the documents, do not
 *     depend on how events were grouped into commits.
 * - A document comes back exactly as it was put (same keys, same order; the position is not part of
 *   it), so a rebuild can be compared byte for byte.
 * - `reset` forgets documents, tombstones and the checkpoint alike: a rebuild starts from nothing.
 */
export type Scalar = string | number | boolean | null;
export type Document = { id: string } & Record<string, unknown>;

export interface FindOptions {
  /** Equality on top-level fields; an array value means "any of". */
  where?: Record<string, Scalar | Scalar[]>;
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  /**
   * Only documents whose id sorts strictly between these (by code point). Ids are the one thing every
   * adapter keeps in an index, so a range of ids without `where` or `orderBy` is read through that index:
   * keyset paging, or a collection whose ids are composite keys in the order they are wanted.
   */
  idRange?: { gt?: string; lt?: string };
}

export type Change =
  | { collection: string; op: 'put'; doc: Document; position?: number }
  | { collection: string; op: 'delete'; id: string; position?: number };

/**
 * A document as stored, with the position that last wrote it: `doc` is null for a tombstone, and the
 * position 0 for a document never written.
 */
export interface Versioned<T extends Document> {
  doc: T | null;
  position: number;
}

/** A document's id and the JSON texts of some of its top-level fields (`findTexts`). */
export interface FieldTexts {
  id: string;
  /** Each field asked for, in the order asked: its JSON text exactly as put, `undefined` when absent. */
  texts: Array<string | undefined>;
}

/** How a `commitAll` may land. */
export interface CommitAllOptions {
  /**
   * Another batch follows at once (a catch-up's next page): the store may hold this one's transaction open
   * and land it together with the batches that follow, in one commit, instead of one commit each. A held
   * batch is applied when the call resolves (this store's own reads see it), and lands, with its
   * checkpoints, before any write, reset or close of this store that does not pass `more`, after at most a
   * few batches, and at the end of the event loop's turn at the latest; until then other connections do
   * not see it, and a crash loses it with its checkpoints (a restart replays it). If landing fails, every
   * projection whose batch it held fails its next commit with that error. Adapters may ignore it (PostgreSQL
   * and MongoDB do: their commits are I/O the caller waits for anyway).
   */
  more?: boolean;
}

/** One projection's commit among several (`commitAll`). */
export interface ProjectionCommit {
  projection: string;
  position: number;
  changes: Change[];
}

export interface ReadStore {
  get<T extends Document>(collection: string, id: string): Promise<T | null>;
  /**
   * The document with the position that last wrote it (tombstones included): a projector folding a batch
   * of events skips those the stored document already holds, as another projector may have written it.
   */
  getVersioned<T extends Document>(collection: string, id: string): Promise<Versioned<T>>;
  find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]>;
  /**
   * The documents `find` would return, in its order, but only the given top-level fields of each, as their
   * JSON texts exactly as `JSON.stringify` wrote them when put (same keys, same order, same spelling of
   * strings and numbers): a list is answered by joining stored texts, without parsing the documents and
   * serialising them again.
   */
  findTexts(collection: string, fields: readonly string[], options?: FindOptions): Promise<FieldTexts[]>;
  /**
   * Applies `changes` to the documents older than `position` (the rest are ignored, see above) and records
   * `position` as the projection's checkpoint unless it already is further.
   */
  commit(projection: string, position: number, changes: Change[]): Promise<void>;
  /**
   * Several projections' commits (a projector's batch), each applied as `commit` applies it: SQLite and
   * PostgreSQL in one transaction, so a batch costs one commit instead of one per projection; MongoDB one
   * after the other, as its `commit` is already safe to replay. With `more` (see `CommitAllOptions`) the
   * batch may land in the file together with the next ones.
   */
  commitAll(commits: ProjectionCommit[], options?: CommitAllOptions): Promise<void>;
  /** The projection's last committed position, 0 when it never ran. */
  checkpoint(projection: string): Promise<number>;
  /**
   * Empties the collections (tombstones included) and forgets the projection's checkpoint: a rebuild
   * starts from here.
   */
  reset(projection: string, collections: string[]): Promise<void>;
  ping(): Promise<boolean>;
  describe(): string;
  close(): Promise<void>;
}
