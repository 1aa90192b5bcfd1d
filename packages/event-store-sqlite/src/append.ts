import type { DatabaseSync } from 'node:sqlite';
import {
  type AppendResult,
  DuplicateEventIdError,
  type ExpectedRevision,
  type NewEvent,
  WrongExpectedRevisionError,
} from '@ferry/event-store';
import { inTransaction } from '@ferry/sqlite';
import type { Statements } from './statements.ts';

interface StoredId {
  stream: string;
  revision: number;
  position: number;
}

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
  return inTransaction(
    db,
    () =>
      recognisedRetry(statements, stream, events, expected) ?? insert(statements, stream, events, expected),
  );
}

function insert(statements: Statements, stream: string, events: NewEvent[], expected: ExpectedRevision) {
  const row = statements.lastRevision.get(stream) as { revision: number | null };
  const current = row.revision ?? -1;
  if (!matches(expected, current)) {
    throw new WrongExpectedRevisionError(stream, expected, current === -1 ? 'no_stream' : current);
  }
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

function matches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === -1;
  return expected === current;
}

/**
 * Ids are chosen by the caller so that a retried append (say, after a lost reply) is answered with the
 * original result instead of being stored twice.
 */
function recognisedRetry(
  statements: Statements,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): AppendResult | null {
  const stored = events.map((event) => statements.byId.get(event.id) as StoredId | undefined);
  const duplicate = stored.findIndex((row) => row !== undefined);
  if (duplicate === -1) return null;
  const first = stored[0];
  const last = stored.at(-1);
  const sameAppend =
    first !== undefined &&
    stored.every((row, offset) => row?.stream === stream && row.revision === first.revision + offset) &&
    matches(expected, first.revision - 1);
  if (!sameAppend || !last) throw new DuplicateEventIdError(stream, events[duplicate]?.id ?? '');
  return { nextExpectedRevision: last.revision, position: last.position };
}
