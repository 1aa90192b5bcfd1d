import type { Change, Document, FindOptions, ProjectionCommit, ReadStore } from '@ferry/read-store';
import { type AnyBulkWriteOperation, type Db, MongoClient } from 'mongodb';
import { fromStored, idFilter, live, type Stored, toFilter, toOperation, toSort } from './documents.ts';
import {
  answersWithin,
  checkCollection,
  checkField,
  fieldTextsOfDocument,
  lastChangePerDocument,
  positionOf,
} from '@ferry/read-store';
import { writeUnlessNewer } from './writes.ts';

export interface MongoReadStoreOptions {
  /** e.g. `mongodb://localhost:27017`. */
  url: string;
  database: string;
}

/** Cannot clash with a collection: collection names start with a letter. */
const checkpoints = '_checkpoints';
const serverSelectionTimeoutMs = 5_000;

/** The production read-model store: a MongoDB collection per read-model collection. */
export function createMongoReadStore(options: MongoReadStoreOptions): ReadStore {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: serverSelectionTimeoutMs });
  const db = client.db(options.database);
  const collection = (name: string) => db.collection<Stored>(checkCollection(name));
  const checkpointsOf = db.collection<{ _id: string; position: number }>(checkpoints);
  let closed = false;
  /** The live documents a find matches, in its order; only the `projection`'s fields when given. */
  const matching = (
    name: string,
    { where, orderBy, limit = 0, idRange }: FindOptions = {},
    projection?: Record<string, 1>,
  ) =>
    collection(name).find(
      { ...toFilter(where), ...idFilter(idRange), ...live },
      { sort: toSort(orderBy), limit, ...(projection && { projection }) },
    );
  const commit = async ({ projection, position, changes }: ProjectionCommit) => {
    await applyUnlessNewer(db, position, changes);
    // After the documents: a crash in between replays the changes, which are then ignored as not newer.
    await checkpointsOf.updateOne({ _id: projection }, { $max: { position } }, { upsert: true });
  };
  return {
    async get<T extends Document>(name: string, id: string) {
      const stored = await collection(name).findOne({ _id: id, ...live });
      return stored ? fromStored<T>(stored) : null;
    },
    async getVersioned<T extends Document>(name: string, id: string) {
      const stored = await collection(name).findOne({ _id: id });
      if (!stored) return { doc: null, position: 0 };
      return { doc: stored._deleted ? null : fromStored<T>(stored), position: stored._position ?? 0 };
    },
    async find<T extends Document>(name: string, options?: FindOptions) {
      return (await matching(name, options).toArray()).map((stored) => fromStored<T>(stored));
    },
    async findTexts(name, fields, options) {
      const projection = Object.fromEntries(fields.map((field) => [checkField(field), 1 as const]));
      // Stored from the document's JSON (`toStored`), so serialising a field again gives its text as put.
      const found = await matching(name, options, projection).toArray();
      return found.map((stored) => fieldTextsOfDocument(stored._id, stored, fields));
    },
    commit: (projection, position, changes) => commit({ projection, position, changes }),
    async commitAll(commits) {
      for (const one of commits) await commit(one);
    },
    async checkpoint(projection) {
      return (await checkpointsOf.findOne({ _id: projection }))?.position ?? 0;
    },
    async reset(projection, names) {
      for (const name of names) checkCollection(name);
      for (const name of names) await collection(name).deleteMany({});
      await checkpointsOf.deleteOne({ _id: projection });
    },
    ping: () => answersWithin(() => db.command({ ping: 1 })),
    describe: () => `MongoDB (${options.url.replace(/\/\/[^@/]*@/, '//')}, database ${options.database})`,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * Writes the last change of each document (what a commit does to it, see `port.ts`) as one unordered
 * bulk write per collection: the documents are distinct, so their order does not matter. Every change,
 * superseded ones included, is validated and converted before the first write.
 */
async function applyUnlessNewer(db: Db, position: number, changes: Change[]): Promise<void> {
  const operations = new Map<Change, AnyBulkWriteOperation<Stored>>();
  for (const change of changes) {
    checkCollection(change.collection);
    operations.set(change, toOperation(change, positionOf(change, position)));
  }
  const byCollection = new Map<string, AnyBulkWriteOperation<Stored>[]>();
  for (const change of lastChangePerDocument(changes)) {
    const operation = operations.get(change);
    if (!operation) continue;
    const list = byCollection.get(change.collection) ?? [];
    list.push(operation);
    byCollection.set(change.collection, list);
  }
  for (const [name, list] of byCollection) await writeUnlessNewer(db.collection<Stored>(name), list);
}
