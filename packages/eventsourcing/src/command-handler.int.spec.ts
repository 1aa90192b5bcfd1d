import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from './command-handler.ts';
import type { Decider } from './decider.ts';

type Created = { type: 'Created'; data: { name: string } };
/** A create: a stream that exists already decides nothing, as a retried create must. */
const thing: Decider<{ name: string }, string | null, Created> = {
  initialState: null,
  decide: (command, state) => (state === null ? [{ type: 'Created', data: command }] : []),
  evolve: (_, event) => event.data.name,
};
const context = { actor: 'test', correlationId: 'c', causationId: null, now: new Date(0) };

describe('handleCommand on a new stream', () => {
  let dir: string;
  let store: EventStore;
  let reads: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-command-handler-'));
    const inner = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
    reads = [];
    // The same store, noting which streams are read.
    const readStream: EventStore['readStream'] = (stream, options) => {
      reads.push(stream);
      return inner.readStream(stream, options);
    };
    store = { ...inner, readStream };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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
