import { checkField, type FindOptions, type Scalar, textColumn } from '@ferry/read-store';
import type pg from 'pg';
import { queryable } from './query-copy.ts';

/**
 * Builds the `find` query over the documents table (with `fields`, the `findTexts` one). Field names are checked (top-level identifiers
 * only) and, like every value, passed as parameters: nothing the caller gives is spliced into the SQL.
 * Tombstones (a null `doc`) never match. Ties, and a find without `orderBy`, are ordered by id.
 */
export function findQuery(
  documents: string,
  collection: string,
  options: FindOptions = {},
  fields?: readonly string[],
): pg.QueryConfig {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const columns = fields ? textColumns(fields, param) : ['body'];
  const conditions = [`collection = ${param(collection)}`, 'doc IS NOT NULL'];
  for (const [field, value] of Object.entries(options.where ?? {})) {
    conditions.push(anyOf(param(checkField(field)), Array.isArray(value) ? value : [value], param));
  }
  // On the primary key (collection, id), whose "C" collation orders by code point like the other adapters.
  if (options.idRange?.gt !== undefined) conditions.push(`id > ${param(options.idRange.gt)}`);
  if (options.idRange?.lt !== undefined) conditions.push(`id < ${param(options.idRange.lt)}`);
  const { orderBy } = options;
  const order = orderBy ? `${sortKeys(param(checkField(orderBy.field)), orderBy.direction)}, id` : 'id';
  const limit = param(options.limit ?? null); // LIMIT NULL: no limit
  return {
    text: `SELECT ${columns.join(', ')} FROM ${documents} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${limit}`,
    values,
  };
}

/**
 * `findTexts`' columns. `body -> field` on `json` is the field's text as put (`json` keeps text), NULL when
 * absent; but it unescapes the document's strings on the way and fails on a NUL or a lone surrogate, which
 * only a `\u` escape can spell in `JSON.stringify`'s text. So a document holding a `\u` comes whole
 * instead (`body`), for the adapter to take its fields from (`fieldTextsOfDocument`).
 */
function textColumns(fields: readonly string[], param: (value: unknown) => string): string[] {
  const escaped = "strpos(body::text, '\\u') > 0";
  const texts = fields.map(
    (field, i) =>
      `CASE WHEN NOT ${escaped} THEN (body -> ${param(checkField(field))}::text)::text END AS ${textColumn(i)}`,
  );
  return ['id', ...texts, `CASE WHEN ${escaped} THEN body::text END AS body`];
}

/**
 * The field, wrapped in a one-element array, is contained in the array of wanted values: jsonb compares
 * type and value (`'10'` is not `10`, `1` is not `true`), and an absent field (SQL NULL) wraps to
 * `[null]`, so `null` matches a null or absent field. A field holding an array or an object matches no
 * scalar. An empty list matches nothing. The wanted values go through `queryable` as the documents'
 * copies did: a NUL in one is U+FFFD on both sides.
 */
function anyOf(field: string, wanted: Scalar[], param: (value: unknown) => string): string {
  return `jsonb_build_array(doc -> ${field}::text) <@ ${param(queryable(JSON.stringify(wanted)))}::jsonb`;
}

/**
 * Sort keys that order a field the way MongoDB does across types (absent or null, numbers, strings,
 * objects, arrays, booleans), numbers numerically and strings by code point (`COLLATE "C"`), whatever
 * the database's collation: jsonb's own order puts strings before numbers and uses that collation.
 */
function sortKeys(field: string, direction: 'asc' | 'desc'): string {
  const value = `doc -> ${field}::text`;
  const type = `jsonb_typeof(${value})`;
  const keys = [
    `CASE ${type} WHEN 'number' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 3 WHEN 'array' THEN 4 ` +
      `WHEN 'boolean' THEN 5 ELSE 0 END`,
    `CASE WHEN ${type} = 'number' THEN (${value})::numeric END`,
    `CASE WHEN ${type} = 'string' THEN doc ->> ${field}::text END COLLATE "C"`,
    // Not for null: a JSON null and an absent field (SQL NULL) must tie, so that ids order them.
    `CASE WHEN ${type} IN ('object', 'array', 'boolean') THEN ${value} END`,
  ];
  const sql = direction === 'desc' ? 'DESC' : 'ASC';
  return keys.map((key) => `${key} ${sql}`).join(', ');
}
