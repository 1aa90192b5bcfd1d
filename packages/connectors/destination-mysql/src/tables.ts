import { fitIdentifier, type MySqlConnection, quoteIdent } from '@ferry/mysql-common';
import {
  type ColumnKind,
  type ConfiguredAirbyteStream,
  cleanedName,
  destinationSyncModeOf,
  type TypedColumn,
  typedColumns,
} from '@ferry/protocol';
import type { RowDataPacket } from 'mysql2';

export interface StreamTables {
  stream: string;
  /** The database it lands in: the stream's namespace, else the configured database. */
  database: string;
  mode: 'append' | 'overwrite' | 'append_dedup';
  columns: TypedColumn[];
  /** Quoted names readers see: `_airbyte_raw_<stream>` and the typed `<stream>`. */
  raw: string;
  typed: string;
  /** Where rows go during the sync: the targets for append modes, staging tables for overwrite. */
  rawWriteTo: string;
  typedWriteTo: string;
  /** Bare names, for the swap at the end of an overwrite. */
  names: { raw: string; typed: string; rawStaging: string; typedStaging: string };
}

const SQL_TYPE: Record<ColumnKind, string> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'LONGTEXT',
  json: 'JSON',
};
/** Key columns need a bounded type to be indexed. */
const keyType = (c: TypedColumn) =>
  c.kind === 'string' || c.kind === 'json' ? 'VARCHAR(255)' : SQL_TYPE[c.kind];
const sqlType = (c: TypedColumn) => (c.key ? `${keyType(c)} NOT NULL` : `${SQL_TYPE[c.kind]} NULL`);

const RAW_COLUMNS = `(_airbyte_ab_id CHAR(36) NOT NULL PRIMARY KEY, _airbyte_data JSON NOT NULL,
  _airbyte_emitted_at DATETIME(3) NOT NULL) ENGINE=InnoDB CHARACTER SET utf8mb4`;

export function streamTables(s: ConfiguredAirbyteStream, defaultDatabase: string): StreamTables {
  const base = cleanedName(s.stream.name);
  const database = s.stream.namespace || defaultDatabase;
  const q = (name: string) => `${quoteIdent(database)}.${quoteIdent(name)}`;
  const names = {
    raw: fitIdentifier(`_airbyte_raw_${base}`),
    typed: fitIdentifier(base),
    rawStaging: fitIdentifier(`_airbyte_tmp_raw_${base}`),
    typedStaging: fitIdentifier(`_airbyte_tmp_${base}`),
  };
  const mode = destinationSyncModeOf(s);
  const columns = typedColumns(s).map((c) => ({ ...c, key: mode === 'append_dedup' && c.key }));
  if (mode === 'append_dedup' && !columns.some((c) => c.key))
    throw new Error(`stream ${s.stream.name}: append_dedup needs a primary_key`);
  const overwrite = mode === 'overwrite';
  return {
    stream: s.stream.name,
    database,
    mode,
    columns,
    raw: q(names.raw),
    typed: q(names.typed),
    rawWriteTo: q(overwrite ? names.rawStaging : names.raw),
    typedWriteTo: q(overwrite ? names.typedStaging : names.typed),
    names,
  };
}

const typedDefinition = (t: StreamTables) => {
  const columns = t.columns.map((c) => `${quoteIdent(fitIdentifier(c.name))} ${sqlType(c)}`);
  const key = t.columns.filter((c) => c.key).map((c) => quoteIdent(fitIdentifier(c.name)));
  return `(${[
    '_airbyte_ab_id CHAR(36) NOT NULL',
    ...columns,
    '_airbyte_emitted_at DATETIME(3) NOT NULL',
    ...(key.length > 0 ? [`PRIMARY KEY (${key.join(', ')})`] : []),
  ].join(', ')}) ENGINE=InnoDB CHARACTER SET utf8mb4`;
};

const existingColumns = async (db: MySqlConnection, database: string, table: string) => {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS c, COLUMN_KEY AS k FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, table],
  );
  return rows.map((r) => ({ name: String(r.c), key: r.k === 'PRI' }));
};

/**
 * An existing typed table of an appended stream gains the columns the catalog now has; a deduplicated
 * one must already be keyed on the stream's primary key (else a reset rebuilds it).
 */
async function evolveTyped(db: MySqlConnection, t: StreamTables): Promise<void> {
  const existing = await existingColumns(db, t.database, t.names.typed);
  if (existing.length === 0) return;
  const key = t.columns.filter((c) => c.key).map((c) => fitIdentifier(c.name));
  const existingKey = existing.filter((c) => c.key).map((c) => c.name);
  if (t.mode === 'append_dedup' && existingKey.join() !== key.join())
    throw new Error(
      `table ${t.typed} is keyed on (${existingKey.join(', ')}), not on the primary key (${key.join(', ')}) of stream ${t.stream}: reset the connection to rebuild it`,
    );
  const have = new Set(existing.map((c) => c.name));
  for (const c of t.columns) {
    const name = fitIdentifier(c.name);
    if (!have.has(name))
      await db.query(
        `ALTER TABLE ${t.typed} ADD COLUMN ${quoteIdent(name)} ${sqlType({ ...c, key: false })}`,
      );
  }
}

/**
 * Creates what the sync writes into, before any data (DDL commits implicitly in MySQL). Staging tables a
 * crashed sync left are dropped: their rows were never visible and the new full refresh rewrites them all.
 */
export async function prepare(db: MySqlConnection, tables: StreamTables[]): Promise<void> {
  for (const database of new Set(tables.map((t) => t.database)))
    await db.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)} CHARACTER SET utf8mb4`);
  for (const t of tables) {
    if (t.mode === 'overwrite') {
      await db.query(`DROP TABLE IF EXISTS ${t.rawWriteTo}, ${t.typedWriteTo}`);
    } else await evolveTyped(db, t);
    await db.query(`CREATE TABLE IF NOT EXISTS ${t.rawWriteTo} ${RAW_COLUMNS}`);
    await db.query(`CREATE TABLE IF NOT EXISTS ${t.typedWriteTo} ${typedDefinition(t)}`);
  }
}

/**
 * Replaces every overwritten target by its staging table with one RENAME TABLE, which MySQL applies
 * atomically: readers see the old tables or the new ones, never half.
 */
export async function swap(db: MySqlConnection, tables: StreamTables[]): Promise<void> {
  const overwritten = tables.filter((t) => t.mode === 'overwrite');
  if (overwritten.length === 0) return;
  const pairs: [string, string][] = [];
  for (const t of overwritten) {
    const q = (name: string) => `${quoteIdent(t.database)}.${quoteIdent(name)}`;
    for (const [target, staging] of [
      [t.names.raw, t.names.rawStaging],
      [t.names.typed, t.names.typedStaging],
    ] as const) {
      const old = q(fitIdentifier(`_airbyte_old_${target}`));
      await db.query(`DROP TABLE IF EXISTS ${old}`);
      await db.query(`CREATE TABLE IF NOT EXISTS ${q(target)} LIKE ${q(staging)}`);
      pairs.push([q(target), old], [q(staging), q(target)]);
    }
  }
  await db.query(`RENAME TABLE ${pairs.map(([a, b]) => `${a} TO ${b}`).join(', ')}`);
  const olds = pairs.filter((_, i) => i % 2 === 0).map(([, old]) => old);
  await db.query(`DROP TABLE IF EXISTS ${olds.join(', ')}`);
}
