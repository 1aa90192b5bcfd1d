import { connect, type MySqlConnection, quoteIdent } from '@ferry/mysql-common';
import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  record,
  state,
} from '@ferry/protocol';
import { listTables, type Table } from './discover.ts';
import type { SourceMySqlConfig } from './spec.ts';
import { streamRows } from './stream-rows.ts';
import { cursorParameter } from './types.ts';

/** Rows between two checkpoints of an incremental stream. */
export const CHECKPOINT_ROWS = 10_000;

type StreamState = { cursor_field: string[]; cursor: unknown };
type StreamStates = Record<string, StreamState>;

function previousStreams(input: Record<string, unknown> | undefined): StreamStates {
  const streams = input?.streams;
  return streams && typeof streams === 'object' ? { ...(streams as StreamStates) } : {};
}

/** The configured columns (all of them when the catalog lists none), plus the cursor; in table order. */
function selectList(table: Table, configured: ConfiguredAirbyteStream, cursor?: string): string {
  const wanted = Object.keys((configured.stream.json_schema.properties ?? {}) as object);
  const columns = table.columns
    .map((c) => c.name)
    .filter((c) => wanted.length === 0 || wanted.includes(c) || c === cursor);
  return columns.length > 0 ? columns.map(quoteIdent).join(', ') : '*';
}

const from = (t: Table) => `${quoteIdent(t.database)}.${quoteIdent(t.table)}`;

async function* fullRefresh(
  db: MySqlConnection,
  name: string,
  table: Table,
  configured: ConfiguredAirbyteStream,
) {
  for await (const row of streamRows(db, `SELECT ${selectList(table, configured)} FROM ${from(table)}`, []))
    yield record(name, row);
}

/**
 * Rows after the saved cursor, in cursor order. A checkpoint names the last cursor value whose rows have all
 * been emitted (not the current one: rows sharing it may still follow), so resuming with `>` loses nothing.
 */
async function* incremental(
  db: MySqlConnection,
  name: string,
  table: Table,
  configured: ConfiguredAirbyteStream,
  streams: StreamStates,
): AsyncIterable<AirbyteMessage> {
  const cursorField = configured.cursor_field ?? [];
  const column = table.columns.find((c) => c.name === cursorField[0]);
  if (cursorField.length !== 1 || !column) {
    throw new Error(
      `incremental sync of ${name} needs a cursor_field naming one of its columns, got ${JSON.stringify(cursorField)}`,
    );
  }
  const saved = streams[name];
  const since =
    saved && JSON.stringify(saved.cursor_field) === JSON.stringify(cursorField) ? saved.cursor : undefined;
  const cursor = quoteIdent(column.name);
  const where = since === undefined || since === null ? '' : ` WHERE ${cursor} > ?`;
  const sql = `SELECT ${selectList(table, configured, column.name)} FROM ${from(table)}${where} ORDER BY ${cursor}`;
  let current = since;
  let complete = since;
  let count = 0;
  for await (const row of streamRows(db, sql, where ? [cursorParameter(column, since)] : [])) {
    const value = row[column.name];
    if (value !== null && value !== undefined && value !== current) {
      complete = current;
      current = value;
    }
    yield record(name, row);
    if (++count % CHECKPOINT_ROWS === 0 && complete !== undefined) {
      streams[name] = { cursor_field: cursorField, cursor: complete };
      yield state({ streams: { ...streams } });
    }
  }
  if (current !== undefined) streams[name] = { cursor_field: cursorField, cursor: current };
}

/**
 * Reads the configured streams in catalog order, from one consistent snapshot (InnoDB); ends with a STATE
 * holding every stream's cursor.
 */
export async function* readMySql(
  config: SourceMySqlConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: Record<string, unknown> | undefined,
): AsyncIterable<AirbyteMessage> {
  const db = await connect(config, true);
  try {
    const tables = await listTables(db, config.database);
    const streams = previousStreams(input);
    await db.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    for (const configured of catalog.streams) {
      const name = configured.stream.name;
      const table = tables.get(name);
      if (!table) throw new Error(`stream ${name}: no such table or view in database ${config.database}`);
      if (configured.sync_mode === 'incremental') yield* incremental(db, name, table, configured, streams);
      else yield* fullRefresh(db, name, table, configured);
    }
    await db.query('COMMIT');
    yield state({ streams });
  } finally {
    // Destroy rather than end: a read abandoned mid-stream leaves rows the server is still sending.
    db.destroy();
  }
}
