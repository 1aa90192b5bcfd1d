import type { SQLInputValue } from 'node:sqlite';
import { type FindOptions, type Scalar, textColumn } from '@ferry/read-store';
import { pathOf } from './names.ts';

export interface Query {
  sql: string;
  params: SQLInputValue[];
}

/** What a find selects: the whole document, or (`findTexts`) the id and the JSON text of each field. */
export const columnsOf = (fields: readonly string[] | undefined, params: SQLInputValue[]): string => {
  if (!fields) return 'doc';
  // `->` gives a field's JSON text as stored (a string with its quotes), NULL when the field is absent.
  const texts = fields.map((field, i) => {
    params.push(pathOf(field));
    return `doc -> ? AS ${textColumn(i)}`;
  });
  return ['id', ...texts].join(', ');
};

/**
 * Builds the `find` query, or with `fields` the `findTexts` one. Conditions compare the JSON type as well as the value, so `'10'` does not match
 * `10` and `1` does not match `true`; `null` matches a null or absent field. Ties are ordered by id so
 * that every adapter returns the same order. Tombstones (a null `doc`) never match.
 */
export function findQuery(table: string, options: FindOptions = {}, fields?: readonly string[]): Query {
  const params: SQLInputValue[] = [];
  const columns = columnsOf(fields, params);
  const conditions = whereConditions(options.where, params);
  // On the primary key: a range of ids alone is read through its index.
  for (const [bound, operator] of [
    [options.idRange?.gt, '>'],
    [options.idRange?.lt, '<'],
  ] as const) {
    if (bound === undefined) continue;
    conditions.push(`id ${operator} ?`);
    params.push(bound);
  }
  const where = `WHERE ${['doc IS NOT NULL', ...conditions].join(' AND ')}`;
  let order = 'ORDER BY id';
  if (options.orderBy) {
    params.push(pathOf(options.orderBy.field));
    order = `ORDER BY json_extract(doc, ?) ${options.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}, id`;
  }
  params.push(options.limit ?? -1);
  return { sql: `SELECT ${columns} FROM ${table} ${where} ${order} LIMIT ?`, params };
}

/** `where`'s conditions on a document, one per field (their parameters pushed onto `params`). */
export const whereConditions = (where: FindOptions['where'], params: SQLInputValue[]): string[] =>
  Object.entries(where ?? {}).map(([field, value]) =>
    anyOf(pathOf(field), Array.isArray(value) ? value : [value], params),
  );

function anyOf(path: string, values: Scalar[], params: SQLInputValue[]): string {
  if (values.length === 0) return '0';
  return `(${values.map((value) => equals(path, value, params)).join(' OR ')})`;
}

function equals(path: string, value: Scalar, params: SQLInputValue[]): string {
  if (value === null) {
    params.push(path);
    return 'json_extract(doc, ?) IS NULL';
  }
  if (typeof value === 'boolean') {
    params.push(path, String(value));
    return 'json_type(doc, ?) = ?';
  }
  params.push(path, path, value);
  const types = typeof value === 'string' ? "('text')" : "('integer', 'real')";
  return `(json_type(doc, ?) IN ${types} AND json_extract(doc, ?) = ?)`;
}
