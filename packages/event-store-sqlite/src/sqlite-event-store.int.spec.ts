import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '@ferry/event-store';
import { eventStoreContract, newEvent } from '@ferry/event-store/contract-suite';
import { JsonText } from '@ferry/read-store';
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

describe('sqlite event store, group commit', () => {
  it('commits concurrent appends together, each with its own check and result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const store = createSqliteEventStore({ file: join(dir, 'events.db') });
    await store.append('taken', [newEvent()], 'no_stream');
    const appends = [
      store.append('a', [newEvent()], 'no_stream'),
      store.append('taken', [newEvent()], 'no_stream'),
      store.append('b', [newEvent(), newEvent()], 'no_stream'),
      store.append('a', [newEvent()], 0),
    ];
    const settled = await Promise.allSettled(appends);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const refused = (settled[1] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(WrongExpectedRevisionError);
    expect(refused).toMatchObject({ streamName: 'taken', expected: 'no_stream', actual: 0 });
    const positions = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.position] : []));
    expect(positions).toEqual([2, 4, 5]);
    expect((await store.readStream('taken')).length).toBe(1);
    expect((await store.readStream('a')).map((e) => e.revision)).toEqual([0, 1]);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an event id stored in another stream with the store error class, across the writer thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const store = createSqliteEventStore({ file: join(dir, 'events.db') });
    const event = newEvent();
    await store.append('first', [event], 'no_stream');
    const error = await store.append('second', [event], 'no_stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ streamName: 'second', eventId: event.id });
    expect(await store.readStream('second')).toEqual([]);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes appends still queued when it closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const file = join(dir, 'events.db');
    const store = createSqliteEventStore({ file });
    const appended = store.append('late', [newEvent()], 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ position: 1 });
    const reopened = createSqliteEventStore({ file });
    expect(await reopened.headPosition()).toBe(1);
    await reopened.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('sqlite event store, fields read as text', () => {
  it('hands the textFields of a type over unparsed, only in a read without metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-event-store-'));
    const store = createSqliteEventStore({ file: join(dir, 'events.db') });
    const catalog = { streams: [{ name: 'a "quoted" } name', fields: [] }] };
    await store.append(
      'texts',
      [
        { ...newEvent(), type: 'Copied', data: { id: 1, catalog, status: 'active' } },
        { ...newEvent(), type: 'Other', data: { id: 2, catalog } },
      ],
      'no_stream',
    );
    const textFields = { Copied: ['catalog'] };
    const [copied, other] = await store.readAll({ metadata: false, textFields });
    expect(copied?.data).toEqual({ id: 1, catalog: new JsonText(JSON.stringify(catalog)), status: 'active' });
    expect(Object.keys(copied?.data as object)).toEqual(['id', 'catalog', 'status']);
    expect(other?.data).toEqual({ id: 2, catalog });
    const withMetadata = await store.readAll({ textFields });
    expect(withMetadata[0]?.data).toEqual({ id: 1, catalog, status: 'active' });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
