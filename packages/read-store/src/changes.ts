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
