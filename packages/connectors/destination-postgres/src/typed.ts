import { quoteIdent } from '@ferry/postgres-common';
import { typedValue } from '@ferry/protocol';
import type pg from 'pg';
import type { StreamTable } from './tables.ts';

export interface TypedRows {
  rows: Record<string, unknown>[];
  /** Records without a primary key value: in the raw table only. */
  keyless: number;
}

/** A record as a row of its typed table (JSON values stay values: jsonb_populate_recordset takes them). */
export function typedRow(
  table: StreamTable,
  into: TypedRows,
  id: string,
  data: Record<string, unknown>,
  emittedAt: string,
): void {
  const row: Record<string, unknown> = { _airbyte_ab_id: id, _airbyte_emitted_at: emittedAt };
  for (const c of table.columns) {
    const value = data[c.name];
    row[c.name] = c.kind === 'json' ? (value ?? null) : typedValue(c.kind, value);
    if (c.key && row[c.name] === null) {
      into.keyless++;
      return;
    }
  }
  into.rows.push(row);
}

/** The last row of each key: one INSERT ... ON CONFLICT may not touch a row twice. */
const newestPerKey = (table: StreamTable, rows: Record<string, unknown>[]) => {
  const keys = table.columns.filter((c) => c.key).map((c) => c.name);
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) byKey.set(JSON.stringify(keys.map((k) => row[k])), row);
  return [...byKey.values()];
};

/**
 * Inserts a batch into the typed table, one statement: the rows travel as one JSON array that the table's
 * own row type parses. With append_dedup a row replaces the one of its key (rows arrive in cursor order,
 * so the newest wins).
 */
export async function insertTyped(client: pg.Client, table: StreamTable, typed: TypedRows): Promise<void> {
  if (typed.rows.length === 0) return;
  const dedup = table.mode === 'append_dedup';
  const rows = dedup ? newestPerKey(table, typed.rows) : typed.rows;
  const names = ['_airbyte_ab_id', ...table.columns.map((c) => c.name), '_airbyte_emitted_at'].map(
    quoteIdent,
  );
  const keys = table.columns.filter((c) => c.key).map((c) => quoteIdent(c.name));
  const upsert = dedup
    ? ` ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`
    : '';
  await client.query(
    `INSERT INTO ${table.typedWriteTo} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_populate_recordset(NULL::${table.typedWriteTo}, $1::jsonb)${upsert}`,
    [JSON.stringify(rows)],
  );
  typed.rows = [];
}
