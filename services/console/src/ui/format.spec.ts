import { describe, expect, it } from 'vitest';
import { bytesText, durationText, scheduleText } from './format.ts';

describe('formatting for people', () => {
  it('says a schedule in words, whichever spelling the API used', () => {
    expect(scheduleText({ schedule: null, scheduleType: 'manual' })).toBe('manual');
    expect(scheduleText({ schedule: { units: 6, timeUnit: 'hours' } })).toBe('every 6 hours');
    expect(
      scheduleText({
        scheduleType: 'basic',
        scheduleData: { basicSchedule: { units: 1, timeUnit: 'days' } },
      }),
    ).toBe('every 1 day');
    expect(
      scheduleText({
        scheduleType: 'cron',
        scheduleData: { cron: { cronExpression: '0 3 * * *', cronTimeZone: 'UTC' } },
      }),
    ).toBe('cron 0 3 * * * (UTC)');
  });

  it('says sizes and durations briefly', () => {
    expect(bytesText(999)).toBe('999 B');
    expect(bytesText(1_500_000)).toBe('1.5 MB');
    expect(durationText(0, 65)).toBe('1 min 5 s');
  });
});
