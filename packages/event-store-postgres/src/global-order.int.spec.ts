import { randomUUID } from 'node:crypto';
import { testPostgresUrl } from '@ferry/contract-testing/postgres';
import type { EventStore, ExpectedRevision, RecordedEvent } from '@ferry/event-store';
import { newEvent, newEvents } from '@ferry/event-store/contract-suite';
import pg from 'pg';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { testStore } from '../test/open.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Appends `appends` times (1 to 3 events each) to a stream of its own; returns the ids in order. */
async function writer(store: EventStore, appends: number): Promise<string[]> {
  const stream = `writer-${randomUUID()}`;
  const ids: string[] = [];
  let expected: ExpectedRevision = 'no_stream';
  for (let n = 0; n < appends; n += 1) {
    const events = newEvents(1 + (n % 3));
    expected = (await store.append(stream, events, expected)).nextExpectedRevision;
    ids.push(...events.map((event) => event.id));
  }
  return ids;
}

/** A reader that checkpoints after every small page, the way a projector resumes; stops at the end once `done`. */
async function pageThrough(store: EventStore, done: () => boolean): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 7 });
    read.push(...page);
    from = page.at(-1)?.position ?? from;
    if (page.length === 0 && done()) return read;
    if (page.length === 0) await sleep(1);
  }
}

describe('postgres event store, global order under concurrent commits', () => {
  it('no reader skips an event while 60 appenders on two stores commit at once', async () => {
    const { store, open } = await testStore({ poolSize: 10 });
    const other = await open({ poolSize: 10 });
    const delivered: RecordedEvent[] = [];
    store.subscribeToAll(0, async (event) => {
      delivered.push(event);
    });
    let writing = true;
    const paged = pageThrough(other, () => !writing);
    const written = await Promise.all(Array.from({ length: 60 }, (_, n) => writer(n % 2 ? store : other, 8)));
    writing = false;
    const all = written.flat();
    await vi.waitFor(() => expect(delivered.length).toBeGreaterThanOrEqual(all.length), { timeout: 10_000 });
    // Exactly once each, in strictly increasing positions, and (the counter rolls back with a failed
    // append) without gaps: 1..n.
    const positions = delivered.map((event) => event.position);
    expect(positions).toEqual(all.map((_, n) => n + 1));
    expect(new Set(delivered.map((event) => event.id))).toEqual(new Set(all));
    expect(await paged).toEqual(delivered);
    expect(await store.readAll()).toEqual(delivered);
  });

  it('an append that took a position and has not committed holds back every later append', async () => {
    const { store, schema } = await testStore();
    const slow = new pg.Client({ connectionString: testPostgresUrl() });
    onTestFinished(() => slow.end());
    await slow.connect();
    // By hand, what append.ts does in one statement, left open between taking position 1 and committing.
    await slow.query('BEGIN');
    await slow.query(`UPDATE "${schema}".log_head SET position = position + 1`);
    const first = newEvent();
    await slow.query(
      `INSERT INTO "${schema}".events (position, id, stream, revision, type, data, metadata)
       VALUES (1, $1, 'slow', 0, $2, $3, $4)`,
      [first.id, first.type, JSON.stringify(first.data), JSON.stringify(first.metadata)],
    );
    let settled = false;
    const later = store.append('later', newEvents(1), 'no_stream').finally(() => {
      settled = true;
    });
    await sleep(300);
    expect(settled).toBe(false);
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
    await slow.query('COMMIT');
    expect((await later).position).toBe(2);
    const all = await store.readAll();
    expect(all.map((event) => [event.streamName, event.position])).toEqual([
      ['slow', 1],
      ['later', 2],
    ]);
  });
});
