import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus, type Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledConnection } from './due.ts';
import { fakeServices, ticks, waitFor } from './fake-services.int.ts';
import { FIRE_RETRY_SECONDS, scheduleStream } from './schedule-decider.ts';
import { SCHEDULER_ACTOR, startScheduler, type Scheduler } from './scheduler.ts';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const seconds = (ms: number) => Math.floor(ms / 1000);

const hourly = (connectionId: string): ScheduledConnection => ({
  connectionId,
  status: 'active',
  scheduleType: 'basic',
  schedule: { units: 1, timeUnit: 'hours' },
  cron: null,
});

describe('scheduler, two of them over one bus and one event store', () => {
  let dir: string;
  let bus: Bus;
  let stores: EventStore[];
  let schedulers: Scheduler[];
  let errors: unknown[];
  let world: Awaited<ReturnType<typeof fakeServices>>;
  const clock = { ms: T0 };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-scheduler-'));
    bus = createInProcessBus();
    clock.ms = T0;
    world = await fakeServices(bus, clock);
    // Two store handles on one file, as two processes would have.
    stores = [0, 1].map(() => createSqliteEventStore({ file: join(dir, 'events.db') }));
    errors = [];
    schedulers = stores.map((events) =>
      startScheduler({
        bus,
        events,
        tickMs: 10,
        onError: (e) => errors.push(e),
        now: () => new Date(clock.ms),
      }),
    );
  });
  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await bus.close();
    await Promise.all(stores.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const decisions = async (connectionId: string) =>
    (await stores[0]!.readStream(scheduleStream(connectionId))).map((e) => ({ type: e.type, ...e.data }));
  /**
   * Waits until the connection's decisions are `expected`: a decision is appended after the call it follows
   * (and the store's writer thread starts on its first append), so a fixed wait would race it.
   */
  const decided = (
    connectionId: string,
    expected: unknown[],
    pick: (d: { type: string }) => unknown = (d) => d,
  ) =>
    vi.waitFor(async () => expect((await decisions(connectionId)).map(pick)).toEqual(expected), {
      timeout: 5_000,
      interval: 20,
    });
  const type = (d: { type: string }) => d.type;
  const finish = (jobId: number, status: 'succeeded' | 'failed') => {
    const job = world.jobs.find((j) => j.id === jobId)!;
    Object.assign(job, { status, updatedAt: seconds(clock.ms) });
  };

  it('fires each due sync exactly once across both schedulers', async () => {
    world.connections = ['a', 'b', 'c'].map(hourly);
    await waitFor(() => world.jobs.length === 3, 'the first syncs');
    await ticks(150);
    expect(world.syncCalls.map((c) => c.connectionId).sort()).toEqual(['a', 'b', 'c']);
    expect(world.syncCalls.every((c) => c.actor === SCHEDULER_ACTOR)).toBe(true);

    for (const job of world.jobs) finish(job.id, 'succeeded');
    const ended = seconds(clock.ms);
    clock.ms += 3_599_000;
    await ticks(150);
    expect(world.syncCalls).toHaveLength(3);
    clock.ms += 1_000;
    await waitFor(() => world.syncCalls.length === 6, 'the next syncs');
    await ticks(150);
    expect(world.syncCalls).toHaveLength(6);
    expect(world.syncCalls.filter((c) => c.connectionId === 'a').map((c) => c.key)).toEqual([
      'scheduled-sync:a:0',
      `scheduled-sync:a:${ended + 3_600}`,
    ]);
    const jobA = world.jobs.filter((j) => j.configId === 'a').map((j) => j.id);
    expect(await decisions('a')).toEqual([
      { type: 'ScheduledSyncFired', connectionId: 'a', dueAt: 0, at: seconds(T0) },
      { type: 'ScheduledSyncStarted', connectionId: 'a', dueAt: 0, jobId: jobA[0] },
      { type: 'ScheduledSyncFired', connectionId: 'a', dueAt: ended + 3_600, at: ended + 3_600 },
      { type: 'ScheduledSyncStarted', connectionId: 'a', dueAt: ended + 3_600, jobId: jobA[1] },
    ]);
    expect(errors).toEqual([]);
  });

  it('records a skip once while a sync runs, not on every tick, and fires when it has ended', async () => {
    const lastEnded = seconds(T0) - 7_200;
    world.jobs.push(
      {
        id: 1,
        configType: 'sync',
        configId: 'a',
        createdAt: lastEnded - 60,
        updatedAt: lastEnded,
        status: 'succeeded',
      },
      {
        id: 2,
        configType: 'reset_connection',
        configId: 'a',
        createdAt: seconds(T0) - 60,
        updatedAt: seconds(T0) - 60,
        status: 'running',
      },
    );
    world.connections = [hourly('a')];
    const skipped = [
      { type: 'ScheduledSyncSkipped', connectionId: 'a', dueAt: lastEnded + 3_600, reason: 'running' },
    ];
    await decided('a', skipped);
    await ticks(300); // many ticks of 10 ms: the skip is not recorded again
    expect(await decisions('a')).toEqual(skipped);
    expect(world.syncCalls).toEqual([]);

    finish(2, 'succeeded');
    clock.ms += 3_600_000;
    await waitFor(() => world.jobs.length === 3, 'the sync after the reset');
    await ticks(100);
    expect(world.syncCalls).toHaveLength(1);
    await decided('a', ['ScheduledSyncSkipped', 'ScheduledSyncFired', 'ScheduledSyncStarted'], type);
  });

  it('records a failed request and fires the same due time again after the retry delay', async () => {
    world.failNextSync = true;
    world.connections = [hourly('a')];
    await waitFor(() => world.syncCalls.length === 1, 'the first request');
    await ticks(150);
    expect(world.syncCalls).toHaveLength(1);
    clock.ms += FIRE_RETRY_SECONDS * 1000;
    await waitFor(() => world.jobs.length === 1, 'the retried request');
    await ticks(100);
    expect(world.syncCalls.map((c) => c.key)).toEqual(['scheduled-sync:a:0', 'scheduled-sync:a:0']);
    await decided(
      'a',
      ['ScheduledSyncFired', 'ScheduledSyncFailed', 'ScheduledSyncFired', 'ScheduledSyncStarted'],
      type,
    );
    expect(errors).toEqual([expect.objectContaining({ code: 'unavailable' })]);
  });
});
