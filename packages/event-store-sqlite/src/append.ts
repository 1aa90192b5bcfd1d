import type { DatabaseSync } from 'node:sqlite';
import {
  type AppendResult,
  checkExpectedRevision,
  type ExpectedRevision,
  type NewEvent,
  recognisedRetry,
  type StoredEventId,
} from '@ferry/event-store';
import { inTransaction } from '@ferry/sqlite';
import type { Statements } from './statements.ts';

/**
 * Appends inside `BEGIN IMMEDIATE`: the write lock is taken before the revision is read, so two writers
 * (even in two processes) cannot both pass the same expected-revision check.
 */
export function appendEvents(
  db: DatabaseSync,
  statements: Statements,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): AppendResult {
  return inTransaction(db, () => {
    const stored = events.map((event) => statements.byId.get(event.id) as StoredEventId | undefined);
    return recognisedRetry(stored, stream, events, expected) ?? insert(statements, stream, events, expected);
  });
}

function insert(statements: Statements, stream: string, events: NewEvent[], expected: ExpectedRevision) {
  const row = statements.lastRevision.get(stream) as { revision: number | null };
  const current = row.revision ?? -1;
  checkExpectedRevision(stream, expected, current);
  let position = (statements.head.get() as { head: number }).head;
  for (const [offset, event] of events.entries()) {
    const { id, type, data, metadata } = event;
    const revision = current + 1 + offset;
    const inserted = statements.insert.run(
      id,
      stream,
      revision,
      type,
      JSON.stringify(data),
      JSON.stringify(metadata),
    );
    position = Number(inserted.lastInsertRowid);
  }
  return { nextExpectedRevision: current + events.length, position };
}
