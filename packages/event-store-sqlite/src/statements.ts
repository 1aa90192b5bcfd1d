import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EventWithoutMetadata, ReadAllOptions, RecordedEvent } from '@ferry/event-store';
import { parseWithTexts } from './json-text-fields.ts';

/** A row read without its metadata column (`readAll`'s `metadata: false`). */
type RowWithoutMetadata = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
];
/** A row of the log as the read statements return it: an array, in `eventColumns` order. */
export type EventRow = [...row: RowWithoutMetadata, metadata: string];
const columnsWithoutMetadata = 'position, id, stream, revision, type, data';
const eventColumns = `${columnsWithoutMetadata}, metadata`;

/** The statements reading the log after a position: every type, or those of a JSON array of types. */
interface LogReads {
  after: StatementSync;
  afterOfTypes: StatementSync;
}

/** The prepared statements of one connection, compiled once. */
export interface Statements {
  insert: StatementSync;
  lastRevision: StatementSync;
  byId: StatementSync;
  stream: StatementSync;
  log: LogReads;
  /** The same, the metadata column left out: SQLite does not even copy it out of the page. */
  logWithoutMetadata: LogReads;
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

const prepareLogReads = (db: DatabaseSync, columns: string): LogReads => ({
  // LIMIT -1 means no limit in SQLite.
  after: prepareRead(db, `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
  // The types arrive as one JSON array, so one statement serves any list; the rows of other types are
  // skipped inside SQLite, their data never copied out (the plan still walks the primary key).
  afterOfTypes: prepareRead(
    db,
    `SELECT ${columns} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ` +
      'ORDER BY position LIMIT ?',
  ),
});

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
    log: prepareLogReads(db, eventColumns),
    logWithoutMetadata: prepareLogReads(db, columnsWithoutMetadata),
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

/** Maps a row without metadata, the `textFields` of its type left as their text (see `ReadAllOptions`). */
const withoutMetadata =
  (textFields: ReadAllOptions['textFields'] = {}) =>
  ([position, id, stream, revision, type, data]: RowWithoutMetadata): EventWithoutMetadata => {
    const fields = Object.hasOwn(textFields, type) ? textFields[type] : undefined;
    return {
      id,
      type,
      data: fields ? parseWithTexts(data, fields) : JSON.parse(data),
      streamName: stream,
      revision,
      position,
    };
  };

const rowsAfter = (reads: LogReads, fromPosition: number, limit: number, types?: readonly string[]) =>
  types
    ? reads.afterOfTypes.all(fromPosition, JSON.stringify(types), limit)
    : reads.after.all(fromPosition, limit);

/** Up to `limit` events (-1: all) after `fromPosition`, of `types` when given (see `ReadAllOptions`). */
export function readAfter(
  statements: Statements,
  fromPosition: number,
  limit: number,
  types?: readonly string[],
): RecordedEvent[] {
  return (rowsAfter(statements.log, fromPosition, limit, types) as unknown as EventRow[]).map(toRecorded);
}

/** `readAfter` without the metadata (`readAll`'s `metadata: false`). */
export function readAfterWithoutMetadata(
  statements: Statements,
  fromPosition: number,
  limit: number,
  types?: readonly string[],
  textFields?: ReadAllOptions['textFields'],
): EventWithoutMetadata[] {
  const rows = rowsAfter(statements.logWithoutMetadata, fromPosition, limit, types);
  return (rows as unknown as RowWithoutMetadata[]).map(withoutMetadata(textFields));
}
