import { quoteIdent } from '@ferry/postgres-common';
import {
  type ColumnKind,
  type ConfiguredAirbyteStream,
  cleanedName,
  destinationSyncModeOf,
  type TypedColumn,
  typedColumns,
} from '@ferry/protocol';
import type pg from 'pg';

export interface StreamTable {
  stream: string;
  /** The schema it lands in: the stream's namespace, else the configured schema. */
  schema: string;
  mode: 'append' | 'overwrite' | 'append_dedup';
  overwrite: boolean;
  columns: TypedColumn[];
  /** Qualified, quoted name of the raw table readers see. */
  target: string;
  /** Bare name of the target, for the rename at the swap. */
  targetName: string;
  /** Where rows go during the sync: the target itself for append, a staging table for overwrite. */
  writeTo: string;
  /** The typed table (one column per field) beside the raw one: qualified, bare, and where rows go. */
  typed: string;
  typedName: string;
  typedWriteTo: string;
}

/**
 * The raw table's definition. A staging table of an overwritten stream gets its primary key only at the swap
 * (see swap): built at once from the sorted ids, the index costs the server a fourth or so of what inserting
 * each random id as its row arrives costs; until then nobody reads that table.
 */
const rawDefinition = (keyed: boolean) => `(_airbyte_ab_id uuid ${keyed ? 'PRIMARY KEY' : 'NOT NULL'},
  _airbyte_data jsonb NOT NULL, _airbyte_emitted_at timestamptz NOT NULL DEFAULT now())`;

const SQL_TYPE: Record<ColumnKind, string> = {
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  string: 'text',
  json: 'jsonb',
};

export function streamTable(defaultSchema: string, s: ConfiguredAirbyteStream): StreamTable {
  const schema = s.stream.namespace || defaultSchema;
  const base = cleanedName(s.stream.name);
  const name = `_airbyte_raw_${base}`;
  const mode = destinationSyncModeOf(s);
  const overwrite = mode === 'overwrite';
  const typedColumnsOf = typedColumns(s).map((c) => ({ ...c, key: mode === 'append_dedup' && c.key }));
  if (mode === 'append_dedup' && !typedColumnsOf.some((c) => c.key))
    throw new Error(`stream ${s.stream.name}: append_dedup needs a primary_key`);
  const q = (n: string) => `${quoteIdent(schema)}.${quoteIdent(n)}`;
  return {
    stream: s.stream.name,
    schema,
    mode,
    overwrite,
    columns: typedColumnsOf,
    target: q(name),
    targetName: name,
    writeTo: overwrite ? q(`_airbyte_tmp_${base}`) : q(name),
    typed: q(base),
    typedName: base,
    typedWriteTo: overwrite ? q(`_airbyte_tmp_typed_${base}`) : q(base),
  };
}

/** The types of the typed table's own columns, as `format_type` names them. */
const ID_TYPE = 'uuid';
const EMITTED_AT_TYPE = 'timestamp with time zone';

const typedDefinition = (t: StreamTable) => {
  const key = t.columns.filter((c) => c.key).map((c) => quoteIdent(c.name));
  return `(${[
    `_airbyte_ab_id ${ID_TYPE} NOT NULL`,
    ...t.columns.map((c) => `${quoteIdent(c.name)} ${SQL_TYPE[c.kind]}${c.key ? ' NOT NULL' : ''}`),
    `_airbyte_emitted_at ${EMITTED_AT_TYPE} NOT NULL`,
    ...(key.length > 0 ? [`PRIMARY KEY (${key.join(', ')})`] : []),
  ].join(', ')})`;
};

/**
 * An existing typed table of an appended stream gains the columns the catalog now has; a deduplicated
 * one must already be keyed on the stream's primary key (else a reset rebuilds it). Returns whether every
 * column a row is written to has the type Ferry creates it with (a missing table will): only then does the
 * table take COPY's binary rows, whose bytes are those of these types (see typed-rows.ts).
 */
async function evolveTyped(client: pg.Client, t: StreamTable): Promise<boolean> {
  const { rows } = await client.query<{ name: string; key: boolean; type: string }>(
    `SELECT a.attname AS name, coalesce(a.attnum = ANY(i.indkey), false) AS key,
            format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [t.schema, t.typedName],
  );
  if (rows.length === 0) return true;
  const key = t.columns.filter((c) => c.key).map((c) => c.name);
  const existingKey = rows.filter((r) => r.key).map((r) => r.name);
  if (t.mode === 'append_dedup' && existingKey.join() !== key.join())
    throw new Error(
      `table ${t.typed} is keyed on (${existingKey.join(', ')}), not on the primary key (${key.join(', ')}) of stream ${t.stream}: reset the connection to rebuild it`,
    );
  const types = new Map(rows.map((r) => [r.name, r.type]));
  for (const c of t.columns)
    if (!types.has(c.name))
      await client.query(`ALTER TABLE ${t.typed} ADD COLUMN ${quoteIdent(c.name)} ${SQL_TYPE[c.kind]}`);
  return (
    types.get('_airbyte_ab_id') === ID_TYPE &&
    types.get('_airbyte_emitted_at') === EMITTED_AT_TYPE &&
    t.columns.every((c) => (types.get(c.name) ?? SQL_TYPE[c.kind]) === SQL_TYPE[c.kind])
  );
}

/**
 * Creates what the sync writes into. A staging table left by a crashed sync is dropped: its rows were
 * never visible and the new full refresh rewrites them all. Returns, for each table, whether its typed
 * table takes binary rows (see evolveTyped).
 */
export async function prepare(client: pg.Client, tables: StreamTable[]): Promise<boolean[]> {
  for (const schema of new Set(tables.map((t) => t.schema)))
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  const binary: boolean[] = [];
  for (const t of tables) {
    if (t.overwrite) await client.query(`DROP TABLE IF EXISTS ${t.writeTo}, ${t.typedWriteTo}`);
    binary.push(t.overwrite || (await evolveTyped(client, t)));
    await client.query(`CREATE TABLE IF NOT EXISTS ${t.writeTo} ${rawDefinition(!t.overwrite)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${t.typedWriteTo} ${typedDefinition(t)}`);
  }
  return binary;
}

/**
 * Replaces every overwritten target by its staging table in one transaction: readers see old or new, never
 * half. The staging raw table gets its primary key first, while the old target still exists, as it did when
 * the key was declared with the table: the same column, constraint and index definitions as before.
 */
export async function swap(client: pg.Client, tables: StreamTable[]): Promise<void> {
  const overwritten = tables.filter((t) => t.overwrite);
  if (overwritten.length === 0) return;
  await client.query('BEGIN');
  for (const t of overwritten) {
    await client.query(`ALTER TABLE ${t.writeTo} ADD PRIMARY KEY (_airbyte_ab_id)`);
    await client.query(`DROP TABLE IF EXISTS ${t.target}, ${t.typed}`);
    await client.query(`ALTER TABLE ${t.writeTo} RENAME TO ${quoteIdent(t.targetName)}`);
    await client.query(`ALTER TABLE ${t.typedWriteTo} RENAME TO ${quoteIdent(t.typedName)}`);
  }
  await client.query('COMMIT');
}
