import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscribeInTurnBatches } from './turn-batches.ts';

const metadata = { actor: 't', correlationId: 'c', causationId: null, occurredAt: '', schemaVersion: 1 };
const event = () => ({ id: randomUUID(), type: 'Happened', data: {}, metadata });

describe('subscribeInTurnBatches', () => {
  let dir: string;
  let events: EventStore;
  let batches: number[][];
  const handle = async (batch: RecordedEvent[]) => {
    batches.push(batch.map((e) => e.position));
  };
  const fail = (error: unknown) => {
    throw error;
  };
  /** Appends to `count` streams at once: one batch of the log's writer. */
  const appendAtOnce = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () => events.append(`s-${randomUUID()}`, [event()], 'no_stream')),
    );
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resume) => setTimeout(resume, 5));
  };
  const handled = () => batches.flat().length;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-turn-batches-'));
    events = createSqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    batches = [];
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands over the events of one turn together, in log order, and each event once', async () => {
    await appendAtOnce(5);
    const subscription = subscribeInTurnBatches(events, 0, handle, fail);
    await until(() => handled() === 5);
    await appendAtOnce(3);
    await until(() => handled() === 8);
    await subscription.close();
    expect(batches).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ]);
  });

  it('lingers for more events unless hurried, and handles what is buffered when closed', async () => {
    const subscription = subscribeInTurnBatches(events, 0, handle, fail, () => 60_000);
    await appendAtOnce(2);
    await new Promise((resume) => setTimeout(resume, 100));
    await appendAtOnce(2);
    await new Promise((resume) => setTimeout(resume, 100));
    expect(batches).toEqual([]); // still lingering
    subscription.hurry();
    await until(() => handled() === 4);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    await appendAtOnce(1);
    await new Promise((resume) => setTimeout(resume, 100));
    await subscription.close();
    expect(batches).toEqual([[1, 2, 3, 4], [5]]);
  });
});
