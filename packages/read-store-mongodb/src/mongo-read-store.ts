import type { Change, Document, FindOptions, ReadStore } from '@ferry/read-store';
import { type Db, MongoClient } from 'mongodb';
import { fromStored, type Stored, toFilter, toOperation, toSort } from './documents.ts';
import { checkCollection } from '@ferry/read-store';

export interface MongoReadStoreOptions {
  /** e.g. `mongodb://localhost:27017`. */
  url: string;
  database: string;
}

/** Cannot clash with a collection: collection names start with a letter. */
const checkpoints = '_checkpoints';
const pingTimeoutMs = 2_000;
const serverSelectionTimeoutMs = 5_000;

/** The production read-model store: a MongoDB collection per read-model collection. */
export function createMongoReadStore(options: MongoReadStoreOptions): ReadStore {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: serverSelectionTimeoutMs });
  const db = client.db(options.database);
  const collection = (name: string) => db.collection<Stored>(checkCollection(name));
  const checkpointsOf = db.collection<{ _id: string; position: number }>(checkpoints);
  let closed = false;
  return {
    async get<T extends Document>(name: string, id: string) {
      const stored = await collection(name).findOne({ _id: id });
      return stored ? fromStored<T>(stored) : null;
    },
    async find<T extends Document>(name: string, { where, orderBy, limit = 0 }: FindOptions = {}) {
      const cursor = collection(name).find(toFilter(where), { sort: toSort(orderBy), limit });
      return (await cursor.toArray()).map((stored) => fromStored<T>(stored));
    },
    async commit(projection, position, changes) {
      await applyInOrder(db, changes);
      // After the documents: a crash in between replays the changes, which are idempotent puts/deletes.
      await checkpointsOf.updateOne({ _id: projection }, { $set: { position } }, { upsert: true });
    },
    async checkpoint(projection) {
      return (await checkpointsOf.findOne({ _id: projection }))?.position ?? 0;
    },
    async reset(projection, names) {
      for (const name of names) checkCollection(name);
      for (const name of names) await collection(name).deleteMany({});
      await checkpointsOf.deleteOne({ _id: projection });
    },
    ping: () => ping(db),
    describe: () => `MongoDB (${options.url.replace(/\/\/[^@/]*@/, '//')}, database ${options.database})`,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * Writes each run of consecutive changes to one collection as one ordered bulk write, so the changes
 * land in the order given. Every change is validated and converted before the first write.
 */
async function applyInOrder(db: Db, changes: Change[]): Promise<void> {
  const runs: Array<{ name: string; operations: ReturnType<typeof toOperation>[] }> = [];
  for (const change of changes) {
    const operation = toOperation(change);
    const last = runs.at(-1);
    if (last?.name === checkCollection(change.collection)) last.operations.push(operation);
    else runs.push({ name: change.collection, operations: [operation] });
  }
  for (const { name, operations } of runs) await db.collection<Stored>(name).bulkWrite(operations);
}

/** Resolves false within `pingTimeoutMs`: an unreachable database must not hang a readiness check. */
async function ping(db: Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), pingTimeoutMs);
  });
  const answer = db.command({ ping: 1 }).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
