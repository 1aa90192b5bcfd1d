import { describe, expect, it } from 'vitest';
import { type EventStore, WrongExpectedRevisionError } from '../port.ts';
import { type Harness, ids, newEvent, newEvents, onlyStreams, uniqueStream } from './harness.ts';

async function rejection(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  return error as WrongExpectedRevisionError;
}

async function snapshot(store: EventStore, stream: string) {
  return { stream: await store.readStream(stream), head: await store.headPosition() };
}

export function appendContract(harness: Harness): void {
  describe('append and readStream', () => {
    it('returns ids, types, data and metadata exactly as appended', async () => {
      const stream = uniqueStream();
      const event = newEvent('SourceCreated', { name: 'pg', nested: { list: [1, 'two', null], ok: true } });
      await harness.store().append(stream, [event], 'no_stream');
      const [read] = await harness.store().readStream(stream);
      expect(read).toMatchObject({ ...event, streamName: stream, revision: 0 });
      expect(JSON.stringify(read?.data)).toBe(JSON.stringify(event.data));
      expect(read?.metadata).toEqual(event.metadata);
    });

    it('returns awkward strings exactly: NUL, other control characters, lone surrogates, separators', async () => {
      // JSON.stringify writes a NUL as \u0000 and a lone surrogate as \ud800: valid JSON text, which a store
      // must keep as it is (PostgreSQL's jsonb, for one, refuses both).
      const awkward = {
        nul: 'before\u0000after',
        controls: '\u0001\t\n\u001f\u007f',
        lone: ['\ud800', '\udfff', 'x\udc00y'],
        pair: '\ud83d\ude00',
        separators: '\u2028\u2029',
        escapes: '"\\u0000" \\',
        'key\u0000with nul': true,
      };
      const event = newEvent('SourceCreated', awkward);
      event.metadata.actor = 'client\u0000name';
      const stream = uniqueStream();
      await harness.store().append(stream, [event], 'no_stream');
      const [read] = await harness.store().readStream(stream);
      expect(JSON.stringify(read?.data)).toBe(JSON.stringify(awkward));
      expect(read?.data).toEqual(awkward);
      expect(read?.metadata).toEqual(event.metadata);
    });

    it('numbers revisions from 0 without gaps across appends', async () => {
      const stream = uniqueStream();
      const first = await harness.store().append(stream, newEvents(2), 'no_stream');
      const second = await harness.store().append(stream, newEvents(3), first.nextExpectedRevision);
      const read = await harness.store().readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(first.nextExpectedRevision).toBe(1);
      expect(second.nextExpectedRevision).toBe(4);
      expect(second.position).toBe(read[4]?.position);
    });

    it('gives strictly increasing global positions, >= 1, in append order', async () => {
      const [a, b] = [uniqueStream(), uniqueStream()];
      const first = await harness.store().append(a, newEvents(2), 'no_stream');
      const second = await harness.store().append(b, newEvents(1), 'no_stream');
      await harness.store().append(a, newEvents(1), 1);
      const [a0, a1, a2] = await harness.store().readStream(a);
      const [b0] = await harness.store().readStream(b);
      const positions = [a0, a1, b0, a2].map((event) => event?.position ?? Number.NaN);
      expect(positions[0]).toBeGreaterThanOrEqual(1);
      expect(new Set(positions).size).toBe(4);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect([first.position, second.position]).toEqual([a1?.position, b0?.position]);
    });

    it('reads a stream from a revision on', async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(4), 'no_stream');
      const tail = await harness.store().readStream(stream, { fromRevision: 2 });
      expect(tail.map((event) => event.revision)).toEqual([2, 3]);
      expect(await harness.store().readStream(stream, { fromRevision: 4 })).toEqual([]);
    });

    it('reads an absent stream as []', async () => {
      expect(await harness.store().readStream(uniqueStream())).toEqual([]);
    });
  });

  describe('expected revision', () => {
    it("'no_stream' creates a stream and refuses an existing one", async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(2), 'no_stream');
      const error = await rejection(harness.store().append(stream, newEvents(1), 'no_stream'));
      expect(error).toMatchObject({ streamName: stream, expected: 'no_stream', actual: 1 });
    });

    it('a number must be the revision of the last event', async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(2), 'no_stream');
      const stale = await rejection(harness.store().append(stream, newEvents(1), 0));
      expect(stale).toMatchObject({ streamName: stream, expected: 0, actual: 1 });
      const ahead = await rejection(harness.store().append(stream, newEvents(1), 5));
      expect(ahead).toMatchObject({ expected: 5, actual: 1 });
      const ok = await harness.store().append(stream, newEvents(1), 1);
      expect(ok.nextExpectedRevision).toBe(2);
    });

    it("a number on an absent stream fails with actual 'no_stream'", async () => {
      const stream = uniqueStream();
      const error = await rejection(harness.store().append(stream, newEvents(1), 0));
      expect(error).toMatchObject({ expected: 0, actual: 'no_stream' });
    });

    it("'any' appends whether or not the stream exists", async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(1), 'any');
      const result = await harness.store().append(stream, newEvents(2), 'any');
      expect(result.nextExpectedRevision).toBe(2);
      expect(await harness.store().readStream(stream)).toHaveLength(3);
    });

    it('a refused append writes nothing: readStream and readAll are unchanged', async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(2), 'no_stream');
      const before = await snapshot(harness.store(), stream);
      await rejection(harness.store().append(stream, newEvents(3), 0));
      await rejection(harness.store().append(stream, newEvents(3), 'no_stream'));
      expect(await snapshot(harness.store(), stream)).toEqual(before);
      const after = await harness.store().readAll({ fromPosition: before.head });
      expect(onlyStreams(after, stream)).toEqual([]);
    });

    it('of concurrent appends with the same expected revision exactly one wins', async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(1), 'no_stream');
      const other = await harness.reopen();
      const attempts = [harness.store(), other, harness.store(), other].map((store) =>
        store.append(stream, newEvents(2), 0),
      );
      const outcomes = await Promise.allSettled(attempts);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(won).toHaveLength(1);
      for (const reason of lost) expect(reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await harness.store().readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2]);
    });

    it('a retried append (same ids, same expected revision) is recognised and stored once', async () => {
      const stream = uniqueStream();
      const events = newEvents(2);
      const first = await harness.store().append(stream, events, 'no_stream');
      const retry = await harness.store().append(stream, events, 'no_stream');
      expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
      expect(ids(await harness.store().readStream(stream))).toEqual(ids(events));
    });
  });
}
