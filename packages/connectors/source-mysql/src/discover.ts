import type { MySqlConnection } from '@ferry/mysql-common';
import type { AirbyteStream } from '@ferry/protocol';
import type { RowDataPacket } from 'mysql2';
import { type Column, columnSchema } from './types.ts';

export interface Table {
  database: string;
  table: string;
  columns: Column[];
  /** Primary key columns in key order; empty for views and tables without one. */
  primaryKey: string[];
}

const jsonChecked = async (db: MySqlConnection, database: string): Promise<Set<string>> => {
  // MariaDB's JSON is LONGTEXT CHECK (json_valid(`col`)); MySQL has no such table before 8.0.16: no matter.
  const [rows] = await db
    .query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS t, CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = ? AND CHECK_CLAUSE LIKE 'json_valid(%'`,
      [database],
    )
    .catch(() => [[] as RowDataPacket[]]);
  const found = new Set<string>();
  for (const r of rows) {
    const column = /json_valid\(`((?:[^`]|``)+)`\)/.exec(String(r.c))?.[1];
    if (column) found.add(`${r.t}.${column.replaceAll('``', '`')}`);
  }
  return found;
};

/** Tables and views of the configured database, columns in table order, named `<database>.<table>`. */
export async function listTables(db: MySqlConnection, database: string): Promise<Map<string, Table>> {
  const [columns] = await db.query<RowDataPacket[]>(
    `SELECT c.TABLE_NAME AS t, c.COLUMN_NAME AS c, c.DATA_TYPE AS type, c.COLUMN_TYPE AS ctype
       FROM information_schema.COLUMNS c
       JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW')
      ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`,
    [database],
  );
  const [keys] = await db.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const json = await jsonChecked(db, database);
  const tables = new Map<string, Table>();
  for (const r of columns) {
    const name = `${database}.${r.t}`;
    const table = tables.get(name) ?? { database, table: String(r.t), columns: [], primaryKey: [] };
    tables.set(name, table);
    table.columns.push({
      name: String(r.c),
      dataType: String(r.type).toLowerCase(),
      columnType: String(r.ctype).toLowerCase(),
      json: json.has(`${r.t}.${r.c}`),
    });
  }
  for (const k of keys) tables.get(`${database}.${k.t}`)?.primaryKey.push(String(k.c));
  return tables;
}

export function tableStream(name: string, table: Table): AirbyteStream {
  const properties = Object.fromEntries(table.columns.map((c) => [c.name, columnSchema(c)]));
  return {
    name,
    json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties },
    supported_sync_modes: ['full_refresh', 'incremental'],
    ...(table.primaryKey.length > 0
      ? { source_defined_primary_key: table.primaryKey.map((column) => [column]) }
      : {}),
  };
}
