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
const context = { actor: 'test', correlationId: 'c', causationId: null, now: new Date(0) };

describe('StreamStateCache', () => {
  let dir: string;
  let store: EventStore;
  let reads: number[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-stream-state-'));
    const inner = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
    reads = [];
    // The same store, noting from which revision each read starts.
    const readStream: EventStore['readStream'] = (stream, options) => {
      reads.push(options?.fromRevision ?? 0);
      return inner.readStream(stream, options);
    };
    store = { ...inner, readStream };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds only what is new, and agrees with a full read after writes it did not see', async () => {
    const cache = new StreamStateCache<number>();
    for (const n of [1, 2, 3]) await handleCommand(store, 'sum-1', counter, { n }, context, cache);
    await handleCommand(store, 'sum-1', counter, { n: 10 }, context); // another writer, without the cache
    const cached = await readState(store, 'sum-1', counter, cache);
    const full = await readState(store, 'sum-1', counter);
    expect(cached).toEqual({ state: 16, revision: 3, position: 4 });
    expect(full).toEqual(cached);
    expect(reads.slice(0, 4)).toEqual([0, 1, 2, 0]);
    expect(reads[4]).toBe(3); // the cached read asked only for the event it had not seen
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
