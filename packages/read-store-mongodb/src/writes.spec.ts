import type { AnyBulkWriteOperation, BulkWriteResult, WriteError } from 'mongodb';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { Stored } from './documents.ts';
import { duplicateKeyIndexes, writeUnlessNewer } from './writes.ts';

const bulkError = (codes: number[]) =>
  new MongoBulkWriteError(
    {
      message: 'write errors',
      code: codes[0] ?? 0,
      // The driver does not export WriteError's class; the adapter reads only `code` and `index`.
      writeErrors: codes.map((code, index) => ({ index, code }) as WriteError),
    },
    {} as BulkWriteResult,
  );

const operation = (id: string): AnyBulkWriteOperation<Stored> => ({
  replaceOne: { filter: { _id: id }, replacement: { _id: id, id, _position: 1 }, upsert: true },
});

/** A collection whose bulk writes answer in turn with the given outcomes, noting what it was asked. */
const collection = (outcomes: Array<Error | null>) => {
  const calls: string[][] = [];
  return {
    calls,
    async bulkWrite(operations: readonly AnyBulkWriteOperation<Stored>[]) {
      calls.push(operations.map((op) => ('replaceOne' in op ? String(op.replaceOne.filter._id) : '?')));
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      return {} as BulkWriteResult;
    },
  };
};

describe('MongoDB conditional writes', () => {
  it('tell duplicate keys (a newer version exists) from any other failure', () => {
    expect(duplicateKeyIndexes(bulkError([11000, 11000]))).toEqual([0, 1]);
    expect(duplicateKeyIndexes(bulkError([11000, 121]))).toBeNull();
    expect(duplicateKeyIndexes(bulkError([]))).toBeNull();
    expect(duplicateKeyIndexes(new MongoServerError({ message: 'E11000', code: 11000 }))).toBeNull();
    expect(duplicateKeyIndexes(new Error('network'))).toBeNull();
  });

  it('retry refused writes once, then take a duplicate key as "a newer version exists"', async () => {
    const target = collection([bulkError([11000, 11000]), bulkError([11000])]);
    await writeUnlessNewer(target, [operation('a'), operation('b'), operation('c')]);
    // The indexes count in the batch that failed: a and b are retried, then a is ignored.
    expect(target.calls).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
  });

  it('stop after the retry succeeds, and rethrow anything but duplicate keys', async () => {
    const retried = collection([bulkError([11000]), null]);
    await writeUnlessNewer(retried, [operation('a'), operation('b')]);
    expect(retried.calls).toEqual([['a', 'b'], ['a']]);
    const failing = collection([bulkError([11000, 2])]);
    await expect(writeUnlessNewer(failing, [operation('a'), operation('b')])).rejects.toThrow(
      MongoBulkWriteError,
    );
  });
});
