import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { MongoBulkWriteError } from 'mongodb';
import type { Stored } from './documents.ts';

const duplicateKey = 11000;

/**
 * The positions of the operations refused with a duplicate key, or null when anything else went wrong
 * (another write error, a write concern error, no bulk write error at all): that must fail the commit.
 */
export function duplicateKeyIndexes(error: unknown): number[] | null {
  if (!(error instanceof MongoBulkWriteError) || error.err) return null;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== duplicateKey)) return null;
  return writeErrors.map((e) => e.index);
}

/**
 * Runs conditional replacements (`toOperation`) of distinct documents, in any order. A duplicate key means
 * the filter missed because a version at least as new exists, so the write is ignored; except on the first
 * try, where two writers may both have inserted a document new to them: those are tried once more, when
 * the document surely exists and the filter alone decides.
 */
export async function writeUnlessNewer(
  collection: Pick<Collection<Stored>, 'bulkWrite'>,
  operations: AnyBulkWriteOperation<Stored>[],
): Promise<void> {
  let pending = operations;
  for (let attempt = 1; attempt <= 2 && pending.length > 0; attempt++) {
    try {
      await collection.bulkWrite(pending, { ordered: false });
      return;
    } catch (error) {
      const refused = duplicateKeyIndexes(error);
      if (!refused) throw error;
      const retry: AnyBulkWriteOperation<Stored>[] = [];
      for (const index of refused) {
        const operation = pending[index];
        if (operation) retry.push(operation);
      }
      pending = retry;
    }
  }
}
