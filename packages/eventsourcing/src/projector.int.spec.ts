import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { Document, ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Projection } from './projection.ts';
import { type Projector, startProjector } from './projector.ts';

type Tally = Document & { total: number; count: number; last: number };

/** Sums per document; `Removed` deletes it and a later `Counted` starts it again from nothing. */
const tallies: Projection<Tally> = {
  name: 'tallies',
  collection: 'tallies',
  handles: new Set(['Counted', 'Removed']),
  documentId: (event) => String(event.data.doc),
  evolve: (doc, event) => {
    if (event.type === 'Removed') return null;
    const n = Number(event.data.n);
    const id = String(event.data.doc);
    return { id, total: (doc?.total ?? 0) + n, count: (doc?.count ?? 0) + 1, last: event.position };
  },
};

/** A small seeded generator, so a failing order can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The same store, answering reads after a random pause: a replica that lags behind the other. */
const lagging = (store: ReadStore, next: () => number): ReadStore => ({
  ...store,
  get: async (collection, id) => {
    const doc = await store.get(collection, id);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 3)));
    return doc as never;
  },
  getVersioned: async (collection, id) => {
    const versioned = await store.getVersioned(collection, id);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 3)));
    return versioned as never;
  },
});

const metadata = { actor: 'test', correlationId: 'c', causationId: null, schemaVersion: 1 };

describe('two projectors of one projection over the same files', () => {
  let dir: string;
  let opened: Array<{ close(): Promise<void> }>;
  let errors: unknown[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-projectors-'));
    opened = [];
    errors = [];
  });
  afterEach(async () => {
    for (const store of opened.reverse()) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = (): EventStore => {
    const store = createSqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    opened.push(store);
    return store;
  };
  const reads = (file: string): ReadStore => {
    const store = createSqliteReadStore({ file: join(dir, file) });
    opened.push(store);
    return store;
  };
  const project = async (eventStore: EventStore, readStore: ReadStore): Promise<Projector> => {
    const projector = await startProjector(eventStore, readStore, [tallies], (error) => errors.push(error));
    opened.push({ close: () => projector.stop() });
    return projector;
  };

  it('leave the same read model as a single projector rebuilding it', async () => {
    const next = random(7);
    const first = { events: events(), reads: reads('read-models.sqlite') };
    const second = { events: events(), reads: reads('read-models.sqlite') };
    const replicas = [first, second];
    const projectors = await Promise.all(
      replicas.map((replica) => project(replica.events, lagging(replica.reads, next))),
    );

    const docs = ['a', 'b', 'c', 'd', 'e'];
    let appended = 0;
    for (let i = 0; i < 300; i++) {
      const doc = docs[Math.floor(next() * docs.length)] ?? 'a';
      const type = next() < 0.12 ? 'Removed' : 'Counted';
      const data = { doc, n: Math.floor(next() * 100) };
      const event = {
        id: randomUUID(),
        type,
        data,
        metadata: { ...metadata, occurredAt: new Date().toISOString() },
      };
      // Appended through either replica's store, as two services would.
      const via = i % 2 === 0 ? first.events : second.events;
      appended = (await via.append(`tally-${doc}`, [event], 'any')).position;
      if (next() < 0.1) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const head = await first.events.headPosition();
    expect(head).toBe(appended);
    await Promise.all(projectors.map((projector) => projector.waitFor(head, 20_000)));

    const single = reads('rebuilt.sqlite');
    await (await project(events(), single)).waitFor(head, 20_000);
    const expected = await single.find('tallies');
    expect(expected.length).toBeGreaterThan(0);
    for (const replica of replicas) {
      expect(JSON.stringify(await replica.reads.find('tallies'))).toBe(JSON.stringify(expected));
      // A replica whose last batch the other had applied already stores that checkpoint late (within 100 ms).
      await vi.waitFor(async () => expect(await replica.reads.checkpoint('tallies')).toBe(head));
    }
    expect(errors).toEqual([]);
  });

  it('catch up in pages of the handled types, to the head past unhandled events, as the live fold', async () => {
    const store = events();
    const live = reads('live.sqlite');
    const projector = await project(store, live);
    const next = random(11);
    // More events than a catch-up page, a third of a type no projection handles, the last ones among them.
    for (let append = 0; append < 50; append++) {
      const batch = Array.from({ length: 50 }, (_, i) => ({
        id: randomUUID(),
        type: next() < 0.33 || append === 49 ? 'Ignored' : next() < 0.1 ? 'Removed' : 'Counted',
        data: { doc: `d${Math.floor(next() * 400)}`, n: append * 50 + i },
        metadata: { ...metadata, occurredAt: new Date().toISOString() },
      }));
      await store.append('tallies', batch, 'any');
    }
    const head = await store.headPosition();
    await projector.waitFor(head, 20_000);
    const expected = JSON.stringify(await live.find('tallies'));

    const replayed = reads('replayed.sqlite');
    // Each full page's commit may land with the next ones; the last page's lands them all.
    const more: boolean[] = [];
    const recorded: ReadStore = {
      ...replayed,
      commitAll: (commits, options) => {
        more.push(options?.more === true);
        return replayed.commitAll(commits, options);
      },
    };
    await (await project(events(), recorded)).waitFor(head, 20_000);
    expect(more.length).toBeGreaterThan(1);
    expect(more).toEqual([...more.slice(0, -1).map(() => true), false]);
    expect(JSON.stringify(await replayed.find('tallies'))).toBe(expected);
    expect(await replayed.checkpoint('tallies')).toBe(head);

    await projector.rebuild();
    expect(JSON.stringify(await live.find('tallies'))).toBe(expected);
    expect(await live.checkpoint('tallies')).toBe(head);
    expect(errors).toEqual([]);
  });

  it('moves the checkpoint past live events that change no document late, and at once on stop', async () => {
    const store = events();
    const live = reads('live.sqlite');
    const projector = await project(store, live);
    const counted = { id: randomUUID(), type: 'Counted', data: { doc: 'd', n: 1 } };
    const ignored = { id: randomUUID(), type: 'Ignored', data: {} };
    const at = new Date().toISOString();
    const counts = (
      await store.append('tallies', [{ ...counted, metadata: { ...metadata, occurredAt: at } }], 'any')
    ).position;
    await projector.waitFor(counts);
    expect(await live.checkpoint('tallies')).toBe(counts);
    const head = (
      await store.append('tallies', [{ ...ignored, metadata: { ...metadata, occurredAt: at } }], 'any')
    ).position;
    await projector.waitFor(head);
    expect(await live.checkpoint('tallies')).toBe(counts); // no commit for it yet
    await vi.waitFor(async () => expect(await live.checkpoint('tallies')).toBe(head));

    const later = (
      await store.append(
        'tallies',
        [{ ...ignored, id: randomUUID(), metadata: { ...metadata, occurredAt: at } }],
        'any',
      )
    ).position;
    await projector.waitFor(later);
    await projector.stop();
    expect(await live.checkpoint('tallies')).toBe(later);
    expect(errors).toEqual([]);
  });
});
