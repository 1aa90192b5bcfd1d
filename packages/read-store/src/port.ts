/**
 * The read-model store port. SQLite (embedded) and MongoDB (production) implement it; both run
 * `contract-suite.ts`.
 *
 * A read model is a set of collections of JSON documents keyed by `id`, written only by its projection.
 * Guarantees:
 * - `commit` applies its changes and moves the projection's checkpoint together: SQLite in one transaction;
 *   MongoDB writes the documents first and the checkpoint after, which is safe because replaying a
 *   projection's changes is idempotent (puts and deletes by id).
 * - A document comes back exactly as it was put (same keys, same order), so a rebuild can be compared
 *   byte for byte.
 */
export type Scalar = string | number | boolean | null;
export type Document = { id: string } & Record<string, unknown>;

export interface FindOptions {
  /** Equality on top-level fields; an array value means "any of". */
  where?: Record<string, Scalar | Scalar[]>;
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
}

export type Change =
  | { collection: string; op: 'put'; doc: Document }
  | { collection: string; op: 'delete'; id: string };

export interface ReadStore {
  get<T extends Document>(collection: string, id: string): Promise<T | null>;
  find<T extends Document>(collection: string, options?: FindOptions): Promise<T[]>;
  /** Applies `changes` and records `position` as the projection's checkpoint. */
  commit(projection: string, position: number, changes: Change[]): Promise<void>;
  /** The projection's last committed position, 0 when it never ran. */
  checkpoint(projection: string): Promise<number>;
  /** Empties the collections and forgets the projection's checkpoint: a rebuild starts from here. */
  reset(projection: string, collections: string[]): Promise<void>;
  ping(): Promise<boolean>;
  describe(): string;
  close(): Promise<void>;
}
