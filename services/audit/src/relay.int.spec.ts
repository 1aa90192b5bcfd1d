import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_EVENTS_SUBJECT } from '@ferry/contracts';
import { type Bus, createInProcessBus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEventRelay } from './relay.ts';

const created = () => ({
  id: randomUUID(),
  type: 'ThingCreated',
  data: {},
  metadata: {
    actor: 'test',
    correlationId: randomUUID(),
    causationId: null,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
  },
});

describe('event relay', () => {
  let dir: string;
  let events: EventStore;
  let reads: ReadStore;
  let bus: Bus;
  let published: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-relay-'));
    events = createSqliteEventStore({ file: join(dir, 'events.sqlite') });
    reads = createSqliteReadStore({ file: join(dir, 'read-models.sqlite') });
    bus = createInProcessBus();
    published = [];
    await bus.subscribe(ALL_EVENTS_SUBJECT, (event) => {
      published.push((event as { id: string }).id);
    });
  });
  afterEach(async () => {
    await bus.close();
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes each event once across a restart: stopping stores the checkpoint of what it published', async () => {
    const first = [created(), created(), created()];
    const relay = await startEventRelay(events, reads, bus, (e) => expect.fail(String(e)));
    await events.append('thing-1', first, 'no_stream');
    await vi.waitFor(() => expect(published).toEqual(first.map((e) => e.id)));
    await relay.stop();
    expect(await reads.checkpoint('event-relay')).toBe(await events.headPosition());

    const later = created();
    const restarted = await startEventRelay(events, reads, bus, (e) => expect.fail(String(e)));
    await events.append('thing-1', [later], 2);
    await vi.waitFor(() => expect(published).toEqual([...first, later].map((e) => e.id)));
    await restarted.stop();
  });

  it('stores its checkpoint while running, without waiting for a stop', async () => {
    const relay = await startEventRelay(events, reads, bus, (e) => expect.fail(String(e)));
    await events.append('thing-2', [created(), created()], 'no_stream');
    await vi.waitFor(async () =>
      expect(await reads.checkpoint('event-relay')).toBe(await events.headPosition()),
    );
    await relay.stop();
  });
});
