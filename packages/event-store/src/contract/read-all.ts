import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '../port.ts';
import { type Harness, ids, newEvent, newEvents, onlyStreams, uniqueStream } from './harness.ts';

/** Appends a, b, a to two fresh streams and returns them with the events as read back. */
async function interleaved(store: EventStore) {
  const [a, b] = [uniqueStream(), uniqueStream()];
  await store.append(a, newEvents(2), 'no_stream');
  await store.append(b, newEvents(1), 'no_stream');
  await store.append(a, newEvents(1), 1);
  const [a0, a1, a2] = await store.readStream(a);
  const [b0] = await store.readStream(b);
  return { a, b, inOrder: [a0, a1, b0, a2] as RecordedEvent[] };
}

export function readAllContract(harness: Harness, emptyOnOpen: boolean): void {
  describe('readAll and headPosition', () => {
    it('delivers every event in global order, equal to what readStream returns', async () => {
      const baseline = await harness.store().headPosition();
      const { a, b, inOrder } = await interleaved(harness.store());
      const all = await harness.store().readAll({ fromPosition: baseline });
      expect(onlyStreams(all, a, b)).toEqual(inOrder);
    });

    it('treats fromPosition as exclusive', async () => {
      const { a, b, inOrder } = await interleaved(harness.store());
      const afterFirst = await harness.store().readAll({ fromPosition: inOrder[0]?.position });
      expect(ids(onlyStreams(afterFirst, a, b))).toEqual(ids(inOrder.slice(1)));
      const afterLast = await harness.store().readAll({ fromPosition: inOrder[3]?.position });
      expect(onlyStreams(afterLast, a, b)).toEqual([]);
    });

    it('returns at most limit events, the first ones after fromPosition', async () => {
      const baseline = await harness.store().headPosition();
      await interleaved(harness.store());
      const all = await harness.store().readAll({ fromPosition: baseline });
      const limited = await harness.store().readAll({ fromPosition: baseline, limit: 2 });
      expect(limited).toEqual(all.slice(0, 2));
    });

    it('with types, reads only events of those types, in global order, limit counting only them', async () => {
      // Types of this test's own: on a shared server other writers' events must not match.
      const [kept, other, alsoKept] = [`Kept${randomUUID()}`, `Other${randomUUID()}`, `Also${randomUUID()}`];
      const baseline = await harness.store().headPosition();
      const [a, b] = [uniqueStream(), uniqueStream()];
      await harness.store().append(a, [newEvent(kept), newEvent(other), newEvent(alsoKept)], 'no_stream');
      await harness.store().append(b, [newEvent(other), newEvent(kept)], 'no_stream');
      await harness.store().append(a, [newEvent(other), newEvent(kept)], 2);
      const all = await harness.store().readAll({ fromPosition: baseline });
      const wanted = onlyStreams(all, a, b).filter((e) => e.type === kept || e.type === alsoKept);
      expect(wanted).toHaveLength(4);
      const types = [kept, alsoKept];
      expect(await harness.store().readAll({ fromPosition: baseline, types })).toEqual(wanted);
      expect(await harness.store().readAll({ fromPosition: baseline, types, limit: 3 })).toEqual(
        wanted.slice(0, 3),
      );
      const afterSecond = await harness.store().readAll({ fromPosition: wanted[1]?.position, types });
      expect(afterSecond).toEqual(wanted.slice(2));
      expect(await harness.store().readAll({ fromPosition: baseline, types: [] })).toEqual([]);
    });

    it('with metadata: false, reads the same events without their metadata, types and limit too', async () => {
      const baseline = await harness.store().headPosition();
      const { a, b, inOrder } = await interleaved(harness.store());
      const bare = <E extends RecordedEvent>({ metadata: _, ...event }: E) => event;
      const read = await harness.store().readAll({ fromPosition: baseline, metadata: false });
      // Strict: the key is left out, not set to undefined.
      expect(onlyStreams(read, a, b)).toStrictEqual(inOrder.map(bare));
      // A type of this test's own: on a shared server other writers' events must not match.
      const [type, stream] = [`Bare${randomUUID()}`, uniqueStream()];
      await harness.store().append(stream, [newEvent(type), newEvent(type)], 'no_stream');
      const [first] = await harness.store().readStream(stream);
      const ofType = await harness
        .store()
        .readAll({ fromPosition: baseline, types: [type], limit: 1, metadata: false });
      expect(ofType).toStrictEqual(first && [bare(first)]);
    });

    it('headPosition is the newest event: nothing is read after it', async () => {
      const { inOrder } = await interleaved(harness.store());
      const head = await harness.store().headPosition();
      expect(head).toBeGreaterThanOrEqual(inOrder[3]?.position ?? Number.NaN);
      expect(await harness.store().readAll({ fromPosition: head })).toEqual([]);
    });

    it('answers ping and describes itself', async () => {
      expect(await harness.store().ping()).toBe(true);
      expect(harness.store().describe()).toMatch(/\S/);
    });

    it.runIf(emptyOnOpen)('an empty store has head 0 and reads nothing', async () => {
      expect(await harness.store().headPosition()).toBe(0);
      expect(await harness.store().readAll()).toEqual([]);
    });

    it.runIf(emptyOnOpen)('readAll() without options reads the whole log from the start', async () => {
      const { inOrder } = await interleaved(harness.store());
      expect(await harness.store().readAll()).toEqual(inOrder);
      expect(await harness.store().headPosition()).toBe(inOrder[3]?.position);
    });
  });
}
