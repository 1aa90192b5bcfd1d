import { describe, expect, it } from 'vitest';
import { describeSchedule, formatBytes, formatDuration, table } from './format.ts';
import { bar, progressLine, progressOf } from './progress.ts';

describe('CLI formatting', () => {
  it('describes every kind of schedule', () => {
    const none = { scheduleType: null, scheduleData: null };
    expect(describeSchedule({ schedule: null, ...none })).toBe('manual');
    expect(describeSchedule({ schedule: { units: 1, timeUnit: 'hours' }, ...none })).toBe('every hour');
    expect(describeSchedule({ schedule: { units: 6, timeUnit: 'hours' }, ...none })).toBe('every 6 hours');
    const cron = { cronExpression: '0 3 * * *', cronTimeZone: 'Europe/Berlin' };
    expect(
      describeSchedule({ schedule: null, scheduleType: 'cron', scheduleData: { basicSchedule: null, cron } }),
    ).toBe('cron 0 3 * * * (Europe/Berlin)');
    expect(
      describeSchedule({
        schedule: { units: 1, timeUnit: 'days' },
        scheduleType: 'manual',
        scheduleData: null,
      }),
    ).toBe('manual');
  });
  it('sizes, durations and tables', () => {
    expect([0, 1023, 1536, 9_300_000].map(formatBytes)).toEqual(['0 B', '1023 B', '1.5 KB', '8.9 MB']);
    expect([0, 59, 61, 3_601].map(formatDuration)).toEqual(['0:00', '0:59', '1:01', '1:00:01']);
    expect(table(['A', 'LONG'], [['xyz', 'v']])).toBe('A    LONG\nxyz  v');
  });
  it('sweeps the bar while the job runs and fills it when it ends', () => {
    expect(bar(0, false)).toBe(`████${' '.repeat(12)}`);
    expect(bar(12, false)).toBe(`${' '.repeat(12)}████`);
    expect(bar(13, false)).toBe(`${' '.repeat(11)}████ `);
    expect(bar(5, true)).toBe('█'.repeat(16));
  });
  it('shows records, bytes, the rate of the attempt and the time since the job began', () => {
    const info = {
      job: {
        id: 3,
        configType: 'sync' as const,
        configId: 'c',
        createdAt: 100,
        updatedAt: 110,
        status: 'running' as const,
      },
      attempts: [
        {
          attempt: {
            id: 0,
            status: 'running' as const,
            createdAt: 102,
            updatedAt: 110,
            recordsSynced: 5_000,
            bytesSynced: 2048,
          },
          logs: { logLines: [] },
        },
      ],
    };
    expect(progressLine(progressOf(info, 112))).toBe(
      'job 3 running  attempt 1  5,000 records  2.0 KB  500 rec/s  0:12',
    );
  });
  it("shows the share of the source's estimate and the time left when the source estimates", () => {
    const attempt = {
      id: 0,
      status: 'running' as const,
      createdAt: 100,
      updatedAt: 110,
      recordsSynced: 2_500,
      bytesSynced: 1024,
      estimatedRecords: 10_000,
      progressPercent: 25,
      estimatedEndAt: 140,
    };
    const job = { id: 4, configType: 'sync' as const, configId: 'c', createdAt: 100, updatedAt: 110 };
    const info = {
      job: { ...job, status: 'running' as const },
      attempts: [{ attempt, logs: { logLines: [] } }],
    };
    expect(progressLine(progressOf(info, 110), 0)).toBe(
      '▕████            ▏ job 4 running  attempt 1  2,500 records  25.0%  1.0 KB  250 rec/s  0:10  about 0:30 left',
    );
  });
});
