import type { DatabaseSync } from 'node:sqlite';
import type { AppendResult, ExpectedRevision, NewEvent } from '@ferry/event-store';
import { appendInTransaction } from './append.ts';
import type { Statements } from './statements.ts';

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Group commit: appends called in the same turn of the event loop (and those that arrived while the previous
 * commit blocked it) are written in one `BEGIN IMMEDIATE` transaction, so they share one commit and its
 * fsync. Each append runs in a savepoint of its own, with its own expected-revision check, and gets its own
 * result or error; a refused one writes nothing and does not affect the others. A promise settles only
 * after the COMMIT (`synchronous = FULL`: synced) that holds its events, so an acknowledged append is as
 * durable as before. Within a batch appends apply in call order, so positions follow call order.
 */
export function groupCommit(db: DatabaseSync, statements: Statements, onCommitted: () => void) {
  let queue: PendingAppend[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = writeBatch(db, statements, batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    onCommitted();
    for (const [i, pending] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    }
  };

  return {
    append: (stream: string, events: NewEvent[], expected: ExpectedRevision) =>
      new Promise<AppendResult>((resolve, reject) => {
        queue.push({ stream, events, expected, resolve, reject });
        if (scheduled) return;
        scheduled = true;
        setImmediate(flush);
      }),
    /** Writes what is queued now (before the database closes). */
    flush,
  };
}

/** One transaction for the whole batch; throws (having rolled back) only when the commit itself fails. */
function writeBatch(db: DatabaseSync, statements: Statements, batch: PendingAppend[]): Outcome[] {
  db.exec('BEGIN IMMEDIATE');
  try {
    const outcomes = batch.map((pending) => inSavepoint(db, statements, pending));
    db.exec('COMMIT');
    return outcomes;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function inSavepoint(db: DatabaseSync, statements: Statements, pending: PendingAppend): Outcome {
  db.exec('SAVEPOINT append');
  try {
    const result = appendInTransaction(statements, pending.stream, pending.events, pending.expected);
    db.exec('RELEASE append');
    return { ok: true, result };
  } catch (error) {
    db.exec('ROLLBACK TO append');
    db.exec('RELEASE append');
    return { ok: false, error };
  }
}
