import { eventStoreContract } from '@ferry/event-store/contract-suite';
import { describe, expect, it } from 'vitest';
import { createEsdbEventStore } from './esdb-event-store.ts';

// Runs only against a real server: EVENTSTORE_URL=esdb://localhost:2113?tls=false. Every stream the suite
// writes has a fresh uuid in its name, so runs against the same server do not collide.
const connectionString = process.env.EVENTSTORE_URL ?? '';

describe.skipIf(!connectionString)('EventStoreDB adapter', () => {
  eventStoreContract('esdb', async () => ({
    store: createEsdbEventStore({ connectionString }),
    cleanup: async () => {},
  }));
});

describe('EventStoreDB adapter without a server', () => {
  it('answers ping with false at once', async () => {
    const store = createEsdbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });
});
