import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract, newEvent } from '@ferry/event-store/contract-suite';
import { describe, expect, it, vi } from 'vitest';
import { createSqliteEventStore } from './sqlite-event-store.ts';

eventStoreContract(
  'sqlite',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const file = join(dir, 'events.db');
    return {
      file,
      store: createSqliteEventStore({ file }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { emptyOnOpen: true, reopen: async ({ file }) => createSqliteEventStore({ file }) },
);

describe('sqlite event store, in-process wakeup', () => {
  it('delivers a live append at once, without waiting for the poll', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const store = createSqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 60_000 });
    const seen: string[] = [];
    const subscription = store.subscribeToAll(0, async (event) => {
      seen.push(event.id);
    });
    const event = newEvent();
    await store.append('wakeup', [event], 'no_stream');
    await vi.waitFor(() => expect(seen).toEqual([event.id]), { timeout: 1_000, interval: 10 });
    await subscription.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
