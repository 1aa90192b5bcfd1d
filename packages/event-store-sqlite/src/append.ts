import {
  type AppendResult,
  checkExpectedRevision,
  type ExpectedRevision,
  type NewEvent,
  recognisedRetry,
  type StoredEventId,
} from '@ferry/event-store';
import type { Statements } from './statements.ts';

/**
 * One append's work inside a write transaction the caller opened with `BEGIN IMMEDIATE` (see
 * `group-commit.ts`): the write lock is taken before the revision is read, so two writers (even in two
 * processes) cannot both pass the same expected-revision check.
 */
export function appendInTransaction(
  statements: Statements,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): AppendResult {
  const stored = events.map((event) => statements.byId.get(event.id) as StoredEventId | undefined);
  return recognisedRetry(stored, stream, events, expected) ?? insert(statements, stream, events, expected);
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
