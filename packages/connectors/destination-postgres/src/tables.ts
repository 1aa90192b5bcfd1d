import { quoteIdent } from '@ferry/postgres-common';
import { cleanedName, type ConfiguredAirbyteStream } from '@ferry/protocol';
import type pg from 'pg';

export interface StreamTable {
  stream: string;
  overwrite: boolean;
  /** Qualified, quoted name of the raw table readers see. */
  target: string;
  /** Bare name of the target, for the rename at the swap. */
  targetName: string;
  /** Where rows go during the sync: the target itself for append, a staging table for overwrite. */
  writeTo: string;
}

/** An explicit destination_sync_mode wins; without one, full refresh replaces and incremental appends. */
const overwrites = (s: ConfiguredAirbyteStream) =>
  s.destination_sync_mode ? s.destination_sync_mode === 'overwrite' : s.sync_mode === 'full_refresh';

const columns = `(_airbyte_ab_id uuid PRIMARY KEY, _airbyte_data jsonb NOT NULL,
  _airbyte_emitted_at timestamptz NOT NULL DEFAULT now())`;

export function streamTable(schema: string, s: ConfiguredAirbyteStream): StreamTable {
  const name = `_airbyte_raw_${cleanedName(s.stream.name)}`;
  const overwrite = overwrites(s);
  const target = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const staging = `${quoteIdent(schema)}.${quoteIdent(`_airbyte_tmp_${cleanedName(s.stream.name)}`)}`;
  return {
    stream: s.stream.name,
    overwrite,
    target,
    targetName: name,
    writeTo: overwrite ? staging : target,
  };
}

/**
 * Creates what the sync writes into. A staging table left by a crashed sync is dropped: its rows were
 * never visible and the new full refresh rewrites them all.
 */
export async function prepare(client: pg.Client, schema: string, tables: StreamTable[]): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  for (const t of tables) {
    if (t.overwrite) await client.query(`DROP TABLE IF EXISTS ${t.writeTo}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${t.writeTo} ${columns}`);
  }
}

/** Replaces every overwritten target by its staging table in one transaction: readers see old or new, never half. */
export async function swap(client: pg.Client, tables: StreamTable[]): Promise<void> {
  const overwritten = tables.filter((t) => t.overwrite);
  if (overwritten.length === 0) return;
  await client.query('BEGIN');
  for (const t of overwritten) {
    await client.query(`DROP TABLE IF EXISTS ${t.target}`);
    await client.query(`ALTER TABLE ${t.writeTo} RENAME TO ${quoteIdent(t.targetName)}`);
  }
  await client.query('COMMIT');
}
