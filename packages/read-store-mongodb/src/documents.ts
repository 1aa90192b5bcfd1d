import type { Change, Document, FindOptions } from '@ferry/read-store';
import type { AnyBulkWriteOperation, Filter, Sort } from 'mongodb';
import { checkField, documentJson } from '@ferry/read-store';

/**
 * A document as stored: `_id` first, then the document itself, `id` included, in its own key order, then
 * `_position`, the commit that last wrote it. A tombstone (what a delete leaves) is `_id`, `_position`
 * and `_deleted: true`. Documents written before positions existed have none: older than any commit.
 */
export type Stored = { _id: string; _position?: number; _deleted?: true } & Record<string, unknown>;

/** The fields the adapter keeps beside a document's own, so a document cannot have them. */
const reserved = ['_id', '_position', '_deleted'];

/**
 * The JSON round trip gives MongoDB exactly what SQLite stores: `undefined` fields vanish instead of
 * becoming null, a `JsonText` becomes the value it holds, and a value JSON cannot hold fails here, before
 * anything is written.
 */
export function toStored(doc: Document, position: number): Stored {
  const fields = JSON.parse(documentJson(doc)) as Record<string, unknown>;
  const clash = reserved.find((field) => Object.hasOwn(fields, field));
  if (clash) throw new Error(`document ${JSON.stringify(doc.id)} has the reserved field ${clash}`);
  return { _id: doc.id, ...fields, _position: position };
}

export function fromStored<T extends Document>(stored: Stored): T {
  const { _id, _position, _deleted, ...doc } = stored;
  return doc as T;
}

/** What `get` and `find` see: every document but tombstones. */
export const live = { _deleted: { $ne: true } } as const;

/**
 * A put or a delete (a tombstone) as a replacement that lands only over an older version (or none: an
 * upsert). Over a newer one the filter matches nothing and the upsert's insert fails with a duplicate
 * `_id` (11000): see `writes.ts`. `$not: {$gte}` rather than `$lt` so that a document stored without a
 * position counts as older.
 */
export function toOperation(change: Change, position: number): AnyBulkWriteOperation<Stored> {
  const id = change.op === 'put' ? change.doc.id : change.id;
  const replacement: Stored =
    change.op === 'put' ? toStored(change.doc, position) : { _id: id, _position: position, _deleted: true };
  const filter: Filter<Stored> = { _id: id, _position: { $not: { $gte: position } } };
  return { replaceOne: { filter, replacement, upsert: true } };
}

/** `null` matches a null or absent field, as in SQLite; an array is any of its values. */
export function toFilter(where: FindOptions['where'] = {}): Filter<Stored> {
  const filter: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(where)) {
    // Always an operator: a value can never be read as a query of its own.
    filter[checkField(field)] = Array.isArray(value) ? { $in: value } : { $eq: value };
  }
  return filter as Filter<Stored>;
}

/** A range of ids, on `_id`: strings compare by their UTF-8 bytes, which is code point order. */
export function idFilter(range: FindOptions['idRange']): Filter<Stored> {
  if (range?.gt === undefined && range?.lt === undefined) return {};
  const bounds: Record<string, string> = {};
  if (range.gt !== undefined) bounds.$gt = range.gt;
  if (range.lt !== undefined) bounds.$lt = range.lt;
  return { _id: bounds } as Filter<Stored>;
}

/** Ties (and finds without `orderBy`) are ordered by id, so every adapter returns the same order. */
export function toSort(orderBy: FindOptions['orderBy']): Sort {
  if (!orderBy) return { _id: 1 };
  return { [checkField(orderBy.field)]: orderBy.direction === 'desc' ? -1 : 1, _id: 1 };
}
