import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RecordedEvent } from '@ferry/event-store';

/** A row of the log as the read statements return it: an array, in `eventColumns` order. */
export type EventRow = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
];
const eventColumns = 'position, id, stream, revision, type, data, metadata';

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

/**
 * A statement reading events. Rows come back as arrays: node:sqlite builds them about twice as fast as
 * objects with named keys, which a replay of the whole log feels.
 */
const prepareRead = (db: DatabaseSync, sql: string) => {
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  return statement;
};

export function prepareStatements(db: DatabaseSync): Statements {
  return {
    insert: db.prepare(
      'INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    lastRevision: db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    byId: db.prepare('SELECT stream, revision, position FROM events WHERE id = ?'),
    stream: prepareRead(
      db,
      `SELECT ${eventColumns} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`,
    ),
    // LIMIT -1 means no limit in SQLite.
    after: prepareRead(db, `SELECT ${eventColumns} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    // The types arrive as one JSON array, so one statement serves any list; the rows of other types are
    // skipped inside SQLite, their data never copied out (the plan still walks the primary key).
    afterOfTypes: prepareRead(
      db,
      `SELECT ${eventColumns} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ` +
        'ORDER BY position LIMIT ?',
    ),
    head: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
  };
}

export function toRecorded([position, id, stream, revision, type, data, metadata]: EventRow): RecordedEvent {
  return {
    id,
    type,
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
    streamName: stream,
    revision,
    position,
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
