import type { Change, Document, FindOptions } from '@ferry/read-store';
import type { AnyBulkWriteOperation, Filter, Sort } from 'mongodb';
import { checkField } from '@ferry/read-store';

/** A document as stored: `_id` first, then the document itself, `id` included, in its own key order. */
export type Stored = { _id: string } & Record<string, unknown>;

/**
 * The JSON round trip gives MongoDB exactly what SQLite stores: `undefined` fields vanish instead of
 * becoming null, and a value JSON cannot hold fails here, before anything is written.
 */
export function toStored(doc: Document): Stored {
  return { _id: doc.id, ...JSON.parse(JSON.stringify(doc)) };
}

export function fromStored<T extends Document>(stored: Stored): T {
  const { _id, ...doc } = stored;
  return doc as T;
}

export function toOperation(change: Change): AnyBulkWriteOperation<Stored> {
  if (change.op === 'delete') return { deleteOne: { filter: { _id: change.id } } };
  const replacement = toStored(change.doc);
  return { replaceOne: { filter: { _id: change.doc.id }, replacement, upsert: true } };
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

/** Ties (and finds without `orderBy`) are ordered by id, so every adapter returns the same order. */
export function toSort(orderBy: FindOptions['orderBy']): Sort {
  if (!orderBy) return { _id: 1 };
  return { [checkField(orderBy.field)]: orderBy.direction === 'desc' ? -1 : 1, _id: 1 };
}
