import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sharedReads } from './polling-subscription.ts';
import type { RecordedEvent } from './port.ts';
import { Wakeup } from './wakeup.ts';

const metadata = { actor: 'a', correlationId: 'c', causationId: null, occurredAt: '', schemaVersion: 1 };

/** A log that counts how often it is read and grows when told to. */
const countingLog = () => {
  const log: RecordedEvent[] = [];
  const source = {
    reads: 0,
    wakeup: new Wakeup(),
    pollIntervalMs: 250,
    read(fromPosition: number, limit: number) {
      source.reads += 1;
      return log.filter((e) => e.position > fromPosition).slice(0, limit);
    },
    append() {
      const position = log.length + 1;
      log.push({
        id: `e${position}`,
        type: 'T',
        data: {},
        metadata,
        streamName: 's',
        revision: 0,
        position,
      });
    },
  };
  return source;
};

describe('sharedReads', () => {
  it('answers the same read asked again in the same turn from the first one', async () => {
    const log = countingLog();
    log.append();
    const shared = sharedReads(log);
    const first = await shared.read(0, 256);
    const second = await shared.read(0, 256);
    expect(log.reads).toBe(1);
    expect(second).toBe(first);
    expect(first.map((e) => e.position)).toEqual([1]);
  });

  it('reads again from another position, once the wakeup rang, and in the next turn', async () => {
    const log = countingLog();
    log.append();
    const shared = sharedReads(log);
    await shared.read(0, 256);
    expect(await shared.read(1, 256)).toEqual([]);
    log.append();
    log.wakeup.notify();
    expect((await shared.read(0, 256)).map((e) => e.position)).toEqual([1, 2]);
    log.append(); // as another process would: no wakeup here, the fallback poll reads in a later turn
    await nextTurn();
    expect((await shared.read(0, 256)).map((e) => e.position)).toEqual([1, 2, 3]);
    expect(log.reads).toBe(4);
  });
});
