import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import type { RecordedEvent } from '@ferry/event-store';
import { eventStoreContract, newEvents } from '@ferry/event-store/contract-suite';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openTestStore, testStore } from '../test/open.ts';
import { openPostgresEventStore } from './index.ts';

eventStoreContract('postgres', () => openTestStore(), { emptyOnOpen: true, reopen: ({ open }) => open() });

describe('postgres event store', () => {
  it("delivers another process's append through NOTIFY, long before the fallback poll", async () => {
    const { store, open } = await testStore({ pollIntervalMs: 60_000 });
    const writer = await open();
    const seen: RecordedEvent[] = [];
    store.subscribeToAll(0, async (event) => {
      seen.push(event);
    });
    await writer.append('notified', newEvents(1), 'no_stream');
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000, interval: 10 });
    // The subscription now sleeps on the 60 s poll: only the notification can wake it.
    await writer.append('notified', newEvents(2), 0);
    await vi.waitFor(() => expect(seen).toHaveLength(3), { timeout: 5_000, interval: 10 });
    expect(seen).toEqual(await writer.readStream('notified'));
  });

  it("lets concurrent 'any' appends to one stream all land, revisions without gaps", async () => {
    const { store, open } = await testStore();
    const other = await open();
    const appends = Array.from({ length: 12 }, (_, n) =>
      (n % 2 ? store : other).append('busy', newEvents(1), 'any'),
    );
    const revisions = (await Promise.all(appends)).map((result) => result.nextExpectedRevision);
    expect(revisions.sort((a, b) => a - b)).toEqual(revisions.map((_, n) => n));
    expect(await store.readStream('busy')).toHaveLength(12);
  });

  it('opens from several processes at once over a schema nobody created yet', async () => {
    const schema = uniqueSchema();
    onTestFinished(() => dropSchema(schema));
    const opening = Array.from({ length: 6 }, () =>
      openPostgresEventStore({ connectionString: testPostgresUrl(), schema, poolSize: 1 }),
    );
    const outcomes = await Promise.allSettled(opening);
    const stores = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    onTestFinished(() => Promise.all(stores.map((store) => store.close())).then(() => {}));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    await stores[0]?.append('first', newEvents(1), 'no_stream');
    expect(await stores[5]?.headPosition()).toBe(1);
  });

  it('describes itself by server and schema, without the password', async () => {
    const { store, schema } = await testStore();
    expect(store.describe()).toMatch(new RegExp(`^postgres event store \\(.+:\\d+/.+, schema ${schema}\\)$`));
  });
});
