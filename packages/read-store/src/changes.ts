import { checkCollection } from './names.ts';
import type { Change } from './port.ts';

/**
 * What one commit does to each document: only its last change counts, since every change of a commit
 * carries the same position and is judged against the document as it was before the commit. Adapters
 * apply these instead of the raw list; validate every change before, so a bad one still fails the commit.
 */
export function lastChangePerDocument(changes: readonly Change[]): Change[] {
  const last = new Map<string, Change>();
  for (const change of changes) {
    const key = `${change.collection}\u0000${change.op === 'put' ? change.doc.id : change.id}`;
    last.delete(key); // re-inserted, so the result keeps the order of the last changes
    last.set(key, change);
  }
  return [...last.values()];
}

/** One document's outcome of a commit, ready for a store that keeps documents as JSON text. */
export interface DocumentWrite {
  collection: string;
  id: string;
  /** The document as `JSON.stringify` writes it (key order included), or null for a tombstone. */
  json: string | null;
}

/**
 * The writes of one commit (`lastChangePerDocument`), after validating every change, superseded ones
 * included: a bad collection name or a value JSON cannot hold (a bigint) throws here, before anything is
 * written, so the whole commit fails the same way in every store.
 */
export function documentWrites(changes: readonly Change[]): DocumentWrite[] {
  const json = new Map<Change, string>();
  for (const change of changes) {
    checkCollection(change.collection);
    if (change.op === 'put') json.set(change, JSON.stringify(change.doc));
  }
  return lastChangePerDocument(changes).map((change) =>
    change.op === 'put'
      ? { collection: change.collection, id: change.doc.id, json: json.get(change) ?? null }
      : { collection: change.collection, id: change.id, json: null },
  );
}
