import { describe, expect, it, vi } from 'vitest';
import type { EventStore, RecordedEvent } from '../port.ts';
import { deferred, type Harness, ids, newEvents, sleep, uniqueStream } from './harness.ts';

const eventually = { timeout: 5_000, interval: 20 };
/** Longer than any adapter's poll interval: what has not arrived by then is not coming. */
const quietPeriod = 700;

/** Subscribes from the current head and collects the events of `stream` only. */
async function collect(store: EventStore, stream: string, from?: number) {
  const seen: RecordedEvent[] = [];
  const fromPosition = from ?? (await store.headPosition());
  const subscription = store.subscribeToAll(fromPosition, async (event) => {
    if (event.streamName === stream) seen.push(event);
  });
  return { seen, subscription };
}

export function subscribeContract(harness: Harness): void {
  describe('subscribeToAll', () => {
    it('catches up with stored events, then receives live appends in order', async () => {
      const stream = uniqueStream();
      const baseline = await harness.store().headPosition();
      await harness.store().append(stream, newEvents(3), 'no_stream');
      const { seen, subscription } = await collect(harness.store(), stream, baseline);
      await vi.waitFor(() => expect(seen).toHaveLength(3), eventually);
      await harness.store().append(stream, newEvents(2), 2);
      await vi.waitFor(() => expect(seen).toHaveLength(5), eventually);
      expect(seen).toEqual(await harness.store().readStream(stream));
      await subscription.close();
    });

    it('treats fromPosition as exclusive', async () => {
      const stream = uniqueStream();
      await harness.store().append(stream, newEvents(3), 'no_stream');
      const [first, ...rest] = await harness.store().readStream(stream);
      const { seen, subscription } = await collect(harness.store(), stream, first?.position);
      await vi.waitFor(() => expect(seen).toHaveLength(2), eventually);
      expect(ids(seen)).toEqual(ids(rest));
      await subscription.close();
    });

    it('does not deliver the next event before the handler has settled', async () => {
      const stream = uniqueStream();
      const baseline = await harness.store().headPosition();
      await harness.store().append(stream, newEvents(2), 'no_stream');
      const gate = deferred();
      const seen: RecordedEvent[] = [];
      let running = 0;
      let mostRunning = 0;
      const subscription = harness.store().subscribeToAll(baseline, async (event) => {
        if (event.streamName !== stream) return;
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        seen.push(event);
        await (seen.length === 1 ? gate.promise : sleep(5));
        running -= 1;
      });
      await vi.waitFor(() => expect(seen).toHaveLength(1), eventually);
      await harness.store().append(stream, newEvents(2), 1);
      await sleep(quietPeriod);
      expect(seen).toHaveLength(1);
      gate.resolve();
      await vi.waitFor(() => expect(seen).toHaveLength(4), eventually);
      expect(mostRunning).toBe(1);
      expect(ids(seen)).toEqual(ids(await harness.store().readStream(stream)));
      await subscription.close();
    });

    it('stops delivering once closed', async () => {
      const stream = uniqueStream();
      const { seen, subscription } = await collect(harness.store(), stream);
      await harness.store().append(stream, newEvents(1), 'no_stream');
      await vi.waitFor(() => expect(seen).toHaveLength(1), eventually);
      await subscription.close();
      await harness.store().append(stream, newEvents(2), 0);
      await sleep(quietPeriod);
      expect(seen).toHaveLength(1);
    });

    it('close waits for the running handler and delivers nothing after it', async () => {
      const stream = uniqueStream();
      const baseline = await harness.store().headPosition();
      await harness.store().append(stream, newEvents(3), 'no_stream');
      const gate = deferred();
      const seen: RecordedEvent[] = [];
      const subscription = harness.store().subscribeToAll(baseline, async (event) => {
        if (event.streamName !== stream) return;
        seen.push(event);
        await gate.promise;
      });
      await vi.waitFor(() => expect(seen).toHaveLength(1), eventually);
      let closed = false;
      const closing = subscription.close().then(() => {
        closed = true;
      });
      await sleep(100);
      expect(closed).toBe(false);
      gate.resolve();
      await closing;
      await sleep(quietPeriod);
      expect(seen).toHaveLength(1);
    });

    it('a failing handler stops the subscription and reaches onError', async () => {
      const stream = uniqueStream();
      const baseline = await harness.store().headPosition();
      await harness.store().append(stream, newEvents(2), 'no_stream');
      const failure = new Error('projection broke');
      const errors: unknown[] = [];
      let calls = 0;
      const onEvent = async (event: RecordedEvent) => {
        if (event.streamName !== stream) return;
        calls += 1;
        throw failure;
      };
      const subscription = harness.store().subscribeToAll(baseline, onEvent, (error) => errors.push(error));
      await vi.waitFor(() => expect(errors).toEqual([failure]), eventually);
      await sleep(quietPeriod);
      expect(calls).toBe(1);
      await subscription.close();
    });

    it('sees events appended through another store over the same storage', async () => {
      const stream = uniqueStream();
      const other = await harness.reopen();
      const { seen, subscription } = await collect(harness.store(), stream);
      await other.append(stream, newEvents(2), 'no_stream');
      await vi.waitFor(() => expect(seen).toHaveLength(2), eventually);
      expect(seen).toEqual(await other.readStream(stream));
      await subscription.close();
    });
  });
}
