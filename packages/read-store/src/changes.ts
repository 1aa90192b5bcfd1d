import { documentJson } from './json-text.ts';
import { checkCollection } from './names.ts';
import type { Change } from './port.ts';

/**
 * What one commit does to each document: only its last change counts, each judged against the document as
 * it was before the commit (a later change of a batch carries a later position, or the same). Adapters
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
  /**
   * The document as `JSON.stringify` writes it (key order included; its `JsonText` values as their
   * texts, see `documentJson`), or null for a tombstone.
   */
  json: string | null;
  /** The position the document records and is judged by: its change's own, else the commit's. */
  position: number;
}

/**
 * The writes of one commit (`lastChangePerDocument`), after validating every change, superseded ones
 * included: a bad collection name or a value JSON cannot hold (a bigint) throws here, before anything is
 * written, so the whole commit fails the same way in every store.
 */
export function documentWrites(changes: readonly Change[], position: number): DocumentWrite[] {
  const json = new Map<Change, string>();
  for (const change of changes) {
    checkCollection(change.collection);
    positionOf(change, position);
    if (change.op === 'put') json.set(change, documentJson(change.doc));
  }
  return lastChangePerDocument(changes).map((change) => {
    const at = positionOf(change, position);
    return change.op === 'put'
      ? { collection: change.collection, id: change.doc.id, json: json.get(change) ?? null, position: at }
      : { collection: change.collection, id: change.id, json: null, position: at };
  });
}

/** The position a change is judged by and recorded at: its own, else the commit's; never above the commit's. */
export function positionOf(change: Change, commitPosition: number): number {
  const own = change.position;
  if (own === undefined) return commitPosition;
  if (!(Number.isInteger(own) && own >= 1 && own <= commitPosition)) {
    throw new RangeError(`a change's position ${own} must be in 1..${commitPosition}, the commit's`);
  }
  return own;
}
