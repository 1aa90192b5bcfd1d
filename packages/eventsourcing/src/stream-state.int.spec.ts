import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from './command-handler.ts';
import type { Decider } from './decider.ts';
import { readState, StreamStateCache } from './stream-state.ts';

type Added = { type: 'Added'; data: { n: number } };
const counter: Decider<{ n: number }, number, Added> = {
  initialState: 0,
  decide: (command) => [{ type: 'Added', data: { n: command.n } }],
  evolve: (sum, event) => sum + event.data.n,
};
type Created = { type: 'Created'; data: { name: string } };
/** A create: a stream that exists already decides nothing, as a retried create must. */
const thing: Decider<{ name: string }, string | null, Created> = {
  initialState: null,
  decide: (command, state) => (state === null ? [{ type: 'Created', data: command }] : []),
  evolve: (_, event) => event.data.name,
};
const context = { actor: 'test', correlationId: 'c', causationId: null, now: new Date(0) };

let dir: string;
let store: EventStore;
/** The streams read, each with the revision its read starts from. */
let reads: Array<[string, number]>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-stream-state-'));
  const inner = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
  reads = [];
  // The same store, noting each read.
  const readStream: EventStore['readStream'] = (stream, options) => {
    reads.push([stream, options?.fromRevision ?? 0]);
    return inner.readStream(stream, options);
  };
  store = { ...inner, readStream };
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StreamStateCache', () => {
  it('folds only what is new, and agrees with a full read after writes it did not see', async () => {
    const cache = new StreamStateCache<number>();
    for (const n of [1, 2, 3]) await handleCommand(store, 'sum-1', counter, { n }, context, cache);
    await handleCommand(store, 'sum-1', counter, { n: 10 }, context); // another writer, without the cache
    const cached = await readState(store, 'sum-1', counter, cache);
    const full = await readState(store, 'sum-1', counter);
    expect(cached).toEqual({ state: 16, revision: 3, position: 4 });
    expect(full).toEqual(cached);
    const from = reads.map(([, revision]) => revision);
    expect(from.slice(0, 4)).toEqual([0, 1, 2, 0]);
    expect(from[4]).toBe(3); // the cached read asked only for the event it had not seen
  });

  it('forgets the oldest stream beyond its capacity', () => {
    const cache = new StreamStateCache<number>(2);
    cache.set('a', { state: 1, revision: 0, position: 1 });
    cache.set('b', { state: 2, revision: 0, position: 2 });
    cache.set('c', { state: 3, revision: 0, position: 3 });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ state: 3, revision: 0, position: 3 });
  });
});

describe('handleCommand on a new stream', () => {
  it('appends as "no stream" without reading it', async () => {
    const result = await handleCommand(
      store,
      'thing-1',
      thing,
      { name: 'a' },
      { ...context, newStream: true },
    );
    expect(result).toMatchObject({ state: 'a', revision: 0, appended: 1 });
    expect(reads).toEqual([]);
    expect((await store.readStream('thing-1')).map((e) => e.data)).toEqual([{ name: 'a' }]);
  });

  it('answers a retried create (same id, idempotent) with the stream as it is, appending nothing', async () => {
    const first = await handleCommand(store, 'thing-1', thing, { name: 'a' }, context);
    const retried = await handleCommand(
      store,
      'thing-1',
      thing,
      { name: 'b' },
      { ...context, newStream: true, idempotent: true },
    );
    expect(retried).toMatchObject({ state: 'a', revision: 0, appended: 0 });
    expect(retried.streamPosition).toBe(first.position);
    expect(await store.readStream('thing-1')).toHaveLength(1);
  });

  it('answers 409 when the stream exists and the command is not idempotent', async () => {
    await handleCommand(store, 'thing-1', thing, { name: 'a' }, context);
    await expect(
      handleCommand(store, 'thing-1', thing, { name: 'b' }, { ...context, newStream: true }),
    ).rejects.toMatchObject({ code: 'concurrent_write' });
    expect(await store.readStream('thing-1')).toHaveLength(1);
  });
});
