import { randomUUID } from 'node:crypto';
import { readStoreContract } from '@ferry/read-store/contract-suite';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { createMongoReadStore } from './mongo-read-store.ts';

// Runs only against a real server: MONGODB_URL=mongodb://localhost:27017. Each test gets its own
// database, dropped afterwards.
const url = process.env.MONGODB_URL ?? '';

async function dropDatabase(database: string): Promise<void> {
  const client = new MongoClient(url);
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}

describe.skipIf(!url)('MongoDB adapter', () => {
  readStoreContract(
    'mongodb',
    async () => {
      const database = `ferry_contract_${randomUUID().slice(0, 8)}`;
      return {
        database,
        store: createMongoReadStore({ url, database }),
        cleanup: () => dropDatabase(database),
      };
    },
    { reopen: async ({ database }) => createMongoReadStore({ url, database }) },
  );
});

describe('MongoDB adapter without a server', () => {
  it('answers ping with false within seconds', async () => {
    const store = createMongoReadStore({ url: 'mongodb://127.0.0.1:1', database: 'none' });
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });
});
