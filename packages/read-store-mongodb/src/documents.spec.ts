import { JsonText } from '@ferry/read-store';
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { fromStored, live, type Stored, toFilter, toOperation, toSort, toStored } from './documents.ts';

const doc = {
  name: 'Zürich',
  id: 'doc-1',
  big: 12345678901,
  half: -0.5,
  nested: { z: [1, null], a: {} },
  no: null,
  // BSON strings carry their length, so a NUL in a value survives (not in a key: those end at a NUL).
  nul: 'before\u0000after',
};

describe('MongoDB documents', () => {
  it('come back from BSON with the same JSON, key order and id position included', () => {
    const stored = BSON.deserialize(BSON.serialize(toStored(doc, 7))) as Stored;
    expect(Object.keys(stored)).toEqual(['_id', ...Object.keys(doc), '_position']);
    expect(stored._position).toBe(7);
    expect(JSON.stringify(fromStored(stored))).toBe(JSON.stringify(doc));
  });

  it('hold the value a JsonText stands for (a replay hands over a copied field as its text)', () => {
    const held = { ...doc, nested: new JsonText(JSON.stringify(doc.nested)) };
    expect(toStored(held, 1)).toEqual(toStored(doc, 1));
  });

  it('drop undefined fields and refuse values JSON cannot hold or the adapter keeps for itself', () => {
    expect(toStored({ id: 'a', gone: undefined }, 1)).toEqual({ _id: 'a', id: 'a', _position: 1 });
    expect(() => toStored({ id: 'a', n: 1n }, 1)).toThrow();
    for (const field of ['_id', '_position', '_deleted']) {
      expect(() => toStored({ id: 'a', [field]: 1 }, 1)).toThrow(/reserved/);
    }
  });

  it('turn puts and deletes into replacements that land only over an older version', () => {
    const filter = { _id: 'a', _position: { $not: { $gte: 4 } } };
    expect(toOperation({ collection: 'c', op: 'put', doc: { id: 'a', v: 1 } }, 4)).toEqual({
      replaceOne: { filter, replacement: { _id: 'a', id: 'a', v: 1, _position: 4 }, upsert: true },
    });
    expect(toOperation({ collection: 'c', op: 'delete', id: 'a' }, 4)).toEqual({
      replaceOne: { filter, replacement: { _id: 'a', _position: 4, _deleted: true }, upsert: true },
    });
  });

  it('read documents without what the adapter keeps beside them, and hide tombstones', () => {
    expect(fromStored({ _id: 'a', id: 'a', v: 1, _position: 3 })).toEqual({ id: 'a', v: 1 });
    expect(fromStored({ _id: 'a', id: 'a', v: 1 })).toEqual({ id: 'a', v: 1 });
    expect(live).toEqual({ _deleted: { $ne: true } });
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
