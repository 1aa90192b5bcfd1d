import type pg from 'pg';
import type { AirbyteStream } from '@ferry/protocol';
import { columnSchema } from './types.ts';

export interface Table {
  schema: string;
  table: string;
  columns: { name: string; dataType: string }[];
  /** Primary key columns in key order; empty for views and tables without one. */
  primaryKey: string[];
}

/** Tables and views of the schemas that this user can see, columns in table order. */
export async function listTables(client: pg.Client, schemas: string[]): Promise<Map<string, Table>> {
  const { rows } = await client.query<{ s: string; t: string; c: string; type: string }>(
    `SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c, c.data_type AS type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = ANY($1) AND t.table_type IN ('BASE TABLE', 'VIEW')
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
    [schemas],
  );
  const tables = new Map<string, Table>();
  for (const r of rows) {
    const name = `${r.s}.${r.t}`;
    const table = tables.get(name) ?? { schema: r.s, table: r.t, columns: [], primaryKey: [] };
    tables.set(name, table);
    table.columns.push({ name: r.c, dataType: r.type });
  }
  const keys = await client.query<{ s: string; t: string; c: string }>(
    `SELECT n.nspname AS s, c.relname AS t, a.attname AS c
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND n.nspname = ANY($1) ORDER BY n.nspname, c.relname, k.position`,
    [schemas],
  );
  for (const k of keys.rows) tables.get(`${k.s}.${k.t}`)?.primaryKey.push(k.c);
  return tables;
}

export function tableStream(name: string, table: Table): AirbyteStream {
  const properties = Object.fromEntries(table.columns.map((c) => [c.name, columnSchema(c.dataType)]));
  return {
    name,
    json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties },
    supported_sync_modes: ['full_refresh', 'incremental'],
    ...(table.primaryKey.length > 0
      ? { source_defined_primary_key: table.primaryKey.map((column) => [column]) }
      : {}),
  };
}
