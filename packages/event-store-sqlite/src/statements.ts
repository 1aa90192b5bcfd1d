import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RecordedEvent } from '@ferry/event-store';

export interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/** The prepared statements of one connection, compiled once. */
export interface Statements {
  insert: StatementSync;
  lastRevision: StatementSync;
  byId: StatementSync;
  stream: StatementSync;
  after: StatementSync;
  afterOfTypes: StatementSync;
  head: StatementSync;
}

export function prepareStatements(db: DatabaseSync): Statements {
  return {
    insert: db.prepare(
      'INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    lastRevision: db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    byId: db.prepare('SELECT stream, revision, position FROM events WHERE id = ?'),
    stream: db.prepare('SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision'),
    // LIMIT -1 means no limit in SQLite.
    after: db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    // The types arrive as one JSON array, so one statement serves any list; the rows of other types are
    // skipped inside SQLite, their data never copied out (the plan still walks the primary key).
    afterOfTypes: db.prepare(
      'SELECT * FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ' +
        'ORDER BY position LIMIT ?',
    ),
    head: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
  };
}

export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    streamName: row.stream,
    revision: row.revision,
    position: row.position,
  };
}

/** Up to `limit` events (-1: all) after `fromPosition`, of `types` when given (see `ReadAllOptions`). */
export function readAfter(
  statements: Statements,
  fromPosition: number,
  limit: number,
  types?: readonly string[],
): RecordedEvent[] {
  const rows = (types
    ? statements.afterOfTypes.all(fromPosition, JSON.stringify(types), limit)
    : statements.after.all(fromPosition, limit)) as unknown as EventRow[];
  return rows.map(toRecorded);
}
