import type { DatabaseSync } from 'node:sqlite';
import type { AppendResult, ExpectedRevision, NewEvent } from '@ferry/event-store';
import { appendInTransaction } from './append.ts';
import type { Statements } from './statements.ts';

/** One caller's append, as the log writer receives it. */
export interface AppendRequest {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

export type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Writes a batch of appends in one `BEGIN IMMEDIATE` transaction and one COMMIT (`synchronous = FULL`: one
 * fsync). Each append runs in a savepoint of its own, with its own expected-revision check, and gets its
 * own outcome; a refused one writes nothing and does not affect the others. Appends apply in batch order,
 * so positions follow it. Throws (having rolled back) only when the transaction itself fails.
 */
export function writeBatch(db: DatabaseSync, statements: Statements, batch: AppendRequest[]): Outcome[] {
  db.exec('BEGIN IMMEDIATE');
  try {
    const outcomes = batch.map((request) => inSavepoint(db, statements, request));
    db.exec('COMMIT');
    return outcomes;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function inSavepoint(db: DatabaseSync, statements: Statements, request: AppendRequest): Outcome {
  db.exec('SAVEPOINT append');
  try {
    const result = appendInTransaction(statements, request.stream, request.events, request.expected);
    db.exec('RELEASE append');
    return { ok: true, result };
  } catch (error) {
    db.exec('ROLLBACK TO append');
    db.exec('RELEASE append');
    return { ok: false, error };
  }
}
