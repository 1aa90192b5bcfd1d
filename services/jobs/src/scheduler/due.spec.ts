import type { JobStatus, TimeUnit } from '@ferry/contracts';
import { describe, expect, it } from 'vitest';
import { due, type JobSummary, type ScheduledConnection } from './due.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3_600;
const DAY = 86_400;

const basic = (units: number, timeUnit: TimeUnit): ScheduledConnection => ({
  connectionId: 'c1',
  status: 'active',
  scheduleType: 'basic',
  schedule: { units, timeUnit },
  cron: null,
});
const cron = (cronExpression: string, cronTimeZone = 'UTC'): ScheduledConnection => ({
  connectionId: 'c1',
  status: 'active',
  scheduleType: 'cron',
  schedule: null,
  cron: { cronExpression, cronTimeZone },
});
let nextId = 1;
const job = (status: JobStatus, createdAt: number, updatedAt = createdAt): JobSummary => ({
  id: nextId++,
  status,
  createdAt,
  updatedAt,
});

const T = at('2024-05-01T10:00:00Z');

describe('due, basic schedule', () => {
  it('fires at once when the connection never synced', () => {
    expect(due(basic(1, 'hours'), [], T)).toEqual({ kind: 'fire', dueAt: 0 });
  });
  it('waits one interval after the last sync ended, then fires', () => {
    const jobs = [job('succeeded', T - 600, T)];
    expect(due(basic(2, 'hours'), jobs, T + 2 * HOUR - 1)).toEqual({ kind: 'wait', nextAt: T + 2 * HOUR });
    expect(due(basic(2, 'hours'), jobs, T + 2 * HOUR)).toEqual({ kind: 'fire', dueAt: T + 2 * HOUR });
  });
  it('counts from a failed sync as from a succeeded one', () => {
    expect(due(basic(5, 'minutes'), [job('failed', T, T + 60)], T + 360)).toEqual({
      kind: 'fire',
      dueAt: T + 360,
    });
  });
  it('counts a month as 30 days and a week as 7', () => {
    const jobs = [job('succeeded', T)];
    expect(due(basic(1, 'months'), jobs, T)).toEqual({ kind: 'wait', nextAt: T + 30 * DAY });
    expect(due(basic(2, 'weeks'), jobs, T)).toEqual({ kind: 'wait', nextAt: T + 14 * DAY });
    expect(due(basic(3, 'days'), jobs, T)).toEqual({ kind: 'wait', nextAt: T + 3 * DAY });
  });
  it('counts from the newest ended job, sync or reset, whatever the order given', () => {
    const jobs = [job('succeeded', T - DAY, T - DAY), job('succeeded', T, T + 100), job('failed', T - HOUR)];
    expect(due(basic(1, 'hours'), jobs, T)).toEqual({ kind: 'wait', nextAt: T + 100 + HOUR });
  });
  it('lets a cancelled sync wait for its next scheduled time instead of starting again', () => {
    const jobs = [job('cancelled', T, T + 60), job('succeeded', T - DAY, T - DAY)];
    expect(due(basic(1, 'hours'), jobs, T + 120)).toEqual({ kind: 'wait', nextAt: T + 60 + HOUR });
  });
  it.each(['pending', 'running', 'incomplete'] as const)(
    'skips while a job is %s, once it is due',
    (status) => {
      const jobs = [job(status, T + 10), job('succeeded', T - HOUR, T)];
      expect(due(basic(1, 'hours'), jobs, T + 30)).toEqual({ kind: 'wait', nextAt: T + HOUR });
      expect(due(basic(1, 'hours'), jobs, T + HOUR)).toEqual({
        kind: 'skip',
        reason: 'running',
        dueAt: T + HOUR,
      });
    },
  );
  it('skips while the very first sync runs', () => {
    expect(due(basic(1, 'hours'), [job('running', T)], T)).toEqual({
      kind: 'skip',
      reason: 'running',
      dueAt: 0,
    });
  });
  it('skips an inactive connection when it would be due', () => {
    const inactive = { ...basic(1, 'hours'), status: 'inactive' as const };
    expect(due(inactive, [job('running', T)], T)).toEqual({ kind: 'skip', reason: 'inactive', dueAt: 0 });
    expect(due(inactive, [job('succeeded', T)], T)).toEqual({ kind: 'wait', nextAt: T + HOUR });
  });
  it('never fires a manual connection', () => {
    const manual: ScheduledConnection = {
      connectionId: 'c1',
      status: 'active',
      scheduleType: 'manual',
      schedule: null,
      cron: null,
    };
    expect(due(manual, [], T)).toEqual({ kind: 'wait', nextAt: null });
  });
});

describe('due, cron schedule', () => {
  it('fires a never-synced connection at its first matching minute, not later', () => {
    const hourly = cron('0 * * * *');
    expect(due(hourly, [], at('2024-05-01T10:30:00Z'))).toEqual({
      kind: 'wait',
      nextAt: at('2024-05-01T11:00:00Z'),
    });
    const fire = { kind: 'fire', dueAt: at('2024-05-01T11:00:00Z') };
    expect(due(hourly, [], at('2024-05-01T11:00:00Z'))).toEqual(fire);
    expect(due(hourly, [], at('2024-05-01T11:00:45Z'))).toEqual(fire);
    expect(due(hourly, [], at('2024-05-01T11:01:05Z'))).toEqual({
      kind: 'wait',
      nextAt: at('2024-05-01T12:00:00Z'),
    });
  });
  it('fires at the first cron time after the last sync ended', () => {
    const jobs = [job('succeeded', at('2024-05-01T11:00:02Z'), at('2024-05-01T11:04:00Z'))];
    expect(due(cron('0 * * * *'), jobs, at('2024-05-01T11:59:59Z')).kind).toBe('wait');
    expect(due(cron('0 * * * *'), jobs, at('2024-05-01T12:00:10Z'))).toEqual({
      kind: 'fire',
      dueAt: at('2024-05-01T12:00:00Z'),
    });
  });
  it('skips a cron time that passes while a sync runs, and does not catch it up afterwards', () => {
    const running = job('running', at('2024-05-01T11:00:02Z'));
    expect(due(cron('0 * * * *'), [running], at('2024-05-01T12:00:30Z'))).toEqual({
      kind: 'skip',
      reason: 'running',
      dueAt: at('2024-05-01T12:00:00Z'),
    });
    const ended = { ...running, status: 'succeeded' as const, updatedAt: at('2024-05-01T12:10:00Z') };
    expect(due(cron('0 * * * *'), [ended], at('2024-05-01T12:10:30Z'))).toEqual({
      kind: 'wait',
      nextAt: at('2024-05-01T13:00:00Z'),
    });
  });
  it('evaluates the expression on the wall clock of its zone', () => {
    // 09:00 in Berlin is 07:00 UTC in summer.
    const jobs = [job('succeeded', at('2024-07-01T07:00:00Z'), at('2024-07-01T07:05:00Z'))];
    const daily = cron('0 9 * * *', 'Europe/Berlin');
    expect(due(daily, jobs, at('2024-07-02T06:59:00Z'))).toEqual({
      kind: 'wait',
      nextAt: at('2024-07-02T07:00:00Z'),
    });
    expect(due(daily, jobs, at('2024-07-02T07:00:30Z'))).toEqual({
      kind: 'fire',
      dueAt: at('2024-07-02T07:00:00Z'),
    });
  });
});
