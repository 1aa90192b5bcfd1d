import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import type { EventStore } from '@ferry/event-store';
import { onTestFinished } from 'vitest';
import { openPostgresEventStore, type PostgresEventStoreOptions } from '../src/index.ts';

type Overrides = Partial<PostgresEventStoreOptions>;

export interface TestStore {
  store: EventStore;
  schema: string;
  /** Opens another store over the same schema (another process, or a restart). */
  open(more?: Overrides): Promise<EventStore>;
  /** Closes every store opened over the schema, then drops it. */
  cleanup(): Promise<void>;
}

/** A store in a schema of its own on the test server, with a small pool: test files run side by side. */
export async function openTestStore(overrides: Overrides = {}, schema = uniqueSchema()): Promise<TestStore> {
  const opened: EventStore[] = [];
  const open = async (more: Overrides = {}) => {
    const options = { connectionString: testPostgresUrl(), schema, poolSize: 4, ...overrides, ...more };
    const store = await openPostgresEventStore(options);
    opened.push(store);
    return store;
  };
  const cleanup = async () => {
    await Promise.all(opened.map((store) => store.close()));
    await dropSchema(schema);
  };
  return { store: await open(), schema, open, cleanup };
}

/**
 * `openTestStore` for the running test: its cleanup runs when the test ends, passed or failed, after the
 * `onTestFinished` callbacks the test registers later (they run last-registered first).
 */
export async function testStore(overrides: Overrides = {}): Promise<TestStore> {
  const schema = uniqueSchema();
  onTestFinished(() => dropSchema(schema));
  const opened = await openTestStore(overrides, schema);
  onTestFinished(opened.cleanup);
  return opened;
}
