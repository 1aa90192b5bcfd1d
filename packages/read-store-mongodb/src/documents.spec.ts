import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { fromStored, type Stored, toFilter, toOperation, toSort, toStored } from './documents.ts';

const doc = {
  name: 'Zürich',
  id: 'doc-1',
  big: 12345678901,
  half: -0.5,
  nested: { z: [1, null], a: {} },
  no: null,
};

describe('MongoDB documents', () => {
  it('come back from BSON with the same JSON, key order and id position included', () => {
    const stored = BSON.deserialize(BSON.serialize(toStored(doc))) as Stored;
    expect(Object.keys(stored)[0]).toBe('_id');
    expect(JSON.stringify(fromStored(stored))).toBe(JSON.stringify(doc));
  });

  it('drop undefined fields and refuse values JSON cannot hold', () => {
    expect(toStored({ id: 'a', gone: undefined })).toEqual({ _id: 'a', id: 'a' });
    expect(() => toStored({ id: 'a', n: 1n })).toThrow();
  });

  it('turn puts into upserting replacements and deletes into deletes by _id', () => {
    expect(toOperation({ collection: 'c', op: 'put', doc: { id: 'a', v: 1 } })).toEqual({
      replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', id: 'a', v: 1 }, upsert: true },
    });
    expect(toOperation({ collection: 'c', op: 'delete', id: 'a' })).toEqual({
      deleteOne: { filter: { _id: 'a' } },
    });
  });

  it('query with operators only, ties and default order by _id', () => {
    expect(toFilter({ status: ['a', null], port: 10 })).toEqual({
      status: { $in: ['a', null] },
      port: { $eq: 10 },
    });
    expect(() => toFilter({ 'a.b': 1 })).toThrow();
    expect(toSort(undefined)).toEqual({ _id: 1 });
    expect(toSort({ field: 'port', direction: 'desc' })).toEqual({ port: -1, _id: 1 });
  });
});
