import { connect, quoteIdent } from '@ferry/postgres-common';
import {
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteStream,
  state,
} from '@ferry/protocol';
import type pg from 'pg';
import { copyRecordLines } from './copy-read.ts';
import { listTables, type Table } from './discover.ts';
import { fetchBatches } from './fetch.ts';
import { RecordLines } from './record-lines.ts';
import type { SourcePostgresConfig } from './spec.ts';
import { readTypes } from './types.ts';

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

const from = (t: Table) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;

async function* fullRefresh(
  client: pg.Client,
  name: string,
  table: Table,
  configured: ConfiguredAirbyteStream,
) {
  const records = new RecordLines(name);
  const sql = `SELECT ${selectList(table, configured)} FROM ${from(table)}`;
  if (yield* copyRecordLines(client, sql, records, readTypes)) return;
  for await (const rows of fetchBatches(client, sql, [])) yield records.lines(rows, Date.now());
}

/**
 * Rows after the saved cursor, in cursor order. A checkpoint names the last cursor value whose rows have all
 * been emitted (not the current one: rows sharing it may still follow), so resuming with `>` loses nothing.
 */
async function* incremental(
  client: pg.Client,
  name: string,
  table: Table,
  configured: ConfiguredAirbyteStream,
  streams: StreamStates,
): AsyncIterable<AirbyteMessage | string> {
  const cursorField = configured.cursor_field ?? [];
  const column = cursorField[0];
  if (cursorField.length !== 1 || !table.columns.some((c) => c.name === column)) {
    throw new Error(
      `incremental sync of ${name} needs a cursor_field naming one of its columns, got ${JSON.stringify(cursorField)}`,
    );
  }
  const saved = streams[name];
  const since =
    saved && JSON.stringify(saved.cursor_field) === JSON.stringify(cursorField) ? saved.cursor : undefined;
  const where = since === undefined || since === null ? '' : ` WHERE ${quoteIdent(column!)} > $1`;
  const sql = `SELECT ${selectList(table, configured, column)} FROM ${from(table)}${where} ORDER BY ${quoteIdent(column!)}`;
  let current = since;
  let complete = since;
  let count = 0;
  const records = new RecordLines(name);
  for await (const rows of fetchBatches(client, sql, where ? [since] : [])) {
    const emittedAt = Date.now();
    let lines = '';
    for (const row of rows) {
      const value = row[column!];
      if (value !== null && value !== undefined && value !== current) {
        complete = current;
        current = value;
      }
      lines += records.line(row, emittedAt);
      if (++count % CHECKPOINT_ROWS === 0 && complete !== undefined) {
        yield lines;
        lines = '';
        streams[name] = { cursor_field: cursorField, cursor: complete };
        yield state({ streams: { ...streams } });
      }
    }
    if (lines !== '') yield lines;
  }
  if (current !== undefined) streams[name] = { cursor_field: cursorField, cursor: current };
}

/** Reads the configured streams in catalog order; ends with a STATE holding every stream's cursor. */
export async function* readPostgres(
  config: SourcePostgresConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: Record<string, unknown> | undefined,
): AsyncIterable<AirbyteMessage | string | Uint8Array> {
  const client = await connect(config, 'ferry-source-postgres', readTypes);
  try {
    const tables = await listTables(client, config.schemas);
    const streams = previousStreams(input);
    for (const configured of catalog.streams) {
      const name = configured.stream.name;
      const table = tables.get(name);
      if (!table)
        throw new Error(`stream ${name}: no such table or view in schemas ${config.schemas.join(', ')}`);
      if (configured.sync_mode === 'incremental')
        yield* incremental(client, name, table, configured, streams);
      else yield* fullRefresh(client, name, table, configured);
    }
    yield state({ streams });
  } finally {
    await client.end().catch(() => {});
  }
}
