import type pg from 'pg';
import type { AirbyteStream } from '@ferry/protocol';
import { columnSchema } from './types.ts';

export interface Table {
  schema: string;
  table: string;
  columns: { name: string; dataType: string }[];
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
    const table = tables.get(name) ?? { schema: r.s, table: r.t, columns: [] };
    tables.set(name, table);
    table.columns.push({ name: r.c, dataType: r.type });
  }
  return tables;
}

export function tableStream(name: string, table: Table): AirbyteStream {
  const properties = Object.fromEntries(table.columns.map((c) => [c.name, columnSchema(c.dataType)]));
  return {
    name,
    json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties },
    supported_sync_modes: ['full_refresh', 'incremental'],
  };
}
