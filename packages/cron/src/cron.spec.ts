import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.ts';
import { nextCronTime, validateCron } from './cron-time.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (epochSeconds: number | null) =>
  epochSeconds === null ? null : new Date(epochSeconds * 1000).toISOString();
const next = (expression: string, timeZone: string, after: string) =>
  iso(nextCronTime(parseCron(expression), timeZone, at(after)));

describe('parseCron', () => {
  it('reads stars, steps, ranges, lists and names', () => {
    const cron = parseCron('*/15 9-17/4 1,15 jan-MAR MON-FRI');
    expect([...cron.minutes]).toEqual([0, 15, 30, 45]);
    expect([...cron.hours]).toEqual([9, 13, 17]);
    expect([...cron.days]).toEqual([1, 15]);
    expect([...cron.months]).toEqual([1, 2, 3]);
    expect([...cron.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(cron.daysAnded).toBe(false);
    expect([...parseCron('10/20 * * * *').minutes]).toEqual([10, 30, 50]);
  });
  it('counts both 0 and 7 as Sunday', () => {
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect([...parseCron('0 0 * * SUN').weekdays]).toEqual([0]);
  });
  it.each([
    ['0 * * *', '5 fields'],
    ['60 * * * *', 'minute 60 is outside 0-59'],
    ['0 24 * * *', 'hour 24 is outside 0-23'],
    ['0 0 0 * *', 'day of month 0 is outside 1-31'],
    ['5-1 * * * *', 'runs backwards'],
    ['*/0 * * * *', 'no valid step'],
    ['*/ * * * *', 'no valid step'],
    ['x * * * *', '"x" is not a valid minute'],
    ['1-2-3 * * * *', 'not a valid minute'],
    ['0 0 * FOO *', '"FOO" is not a valid month'],
  ])('refuses %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('nextCronTime', () => {
  it('is strictly after the given time, on a whole minute', () => {
    expect(next('30 9 * * *', 'UTC', '2024-03-04T09:30:00Z')).toBe('2024-03-05T09:30:00.000Z');
    expect(next('* * * * *', 'UTC', '2024-03-04T09:30:59Z')).toBe('2024-03-04T09:31:00.000Z');
  });
  it('reads the wall clock of the zone, summer and winter', () => {
    expect(next('0 9 * * *', 'Europe/Berlin', '2024-01-15T00:00:00Z')).toBe('2024-01-15T08:00:00.000Z');
    expect(next('0 9 * * *', 'Europe/Berlin', '2024-07-15T00:00:00Z')).toBe('2024-07-15T07:00:00.000Z');
    expect(next('0 9 * * *', 'Asia/Kolkata', '2024-07-15T00:00:00Z')).toBe('2024-07-15T03:30:00.000Z');
    expect(next('0 23 * * *', 'America/New_York', '2024-07-15T12:00:00Z')).toBe('2024-07-16T03:00:00.000Z');
  });
  it('takes the weekday and the day from the zone, not from UTC', () => {
    // Monday 00:30 in Tokyo is still Sunday in UTC.
    expect(next('30 0 * * MON', 'Asia/Tokyo', '2024-07-10T00:00:00Z')).toBe('2024-07-14T15:30:00.000Z');
  });
  it('skips a wall time the spring change leaves out, and runs the hour after it', () => {
    // Europe/Berlin, 2024-03-31: 02:00 CET becomes 03:00 CEST.
    expect(next('30 2 * * *', 'Europe/Berlin', '2024-03-30T12:00:00Z')).toBe('2024-04-01T00:30:00.000Z');
    expect(next('0 3 * * *', 'Europe/Berlin', '2024-03-30T12:00:00Z')).toBe('2024-03-31T01:00:00.000Z');
    expect(next('0 0 * * *', 'Europe/Berlin', '2024-03-30T12:00:00Z')).toBe('2024-03-30T23:00:00.000Z');
  });
  it('runs a wall time the autumn change repeats only once', () => {
    // Europe/Berlin, 2024-10-27: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    const first = next('30 2 * * *', 'Europe/Berlin', '2024-10-26T12:00:00Z');
    expect(first).toBe('2024-10-27T00:30:00.000Z');
    expect(next('30 2 * * *', 'Europe/Berlin', first!)).toBe('2024-10-28T01:30:00.000Z');
  });
  it('matches either day field when both are restricted, both when one starts with *', () => {
    // 2024-09-01 is a Sunday; the first Friday is the 6th.
    expect(next('0 0 13 * FRI', 'UTC', '2024-09-01T00:00:00Z')).toBe('2024-09-06T00:00:00.000Z');
    expect(next('0 0 */2 * FRI', 'UTC', '2024-09-01T00:00:00Z')).toBe('2024-09-13T00:00:00.000Z');
  });
  it('finds a leap day years ahead, and gives up on a date that never comes', () => {
    expect(next('0 0 29 2 *', 'UTC', '2025-01-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 30 2 *', 'UTC', '2025-01-01T00:00:00Z')).toBeNull();
  });
});

describe('validateCron', () => {
  it('accepts a good expression in a known zone', () => {
    expect(validateCron('0 */6 * * *', 'Europe/Berlin')).toBeNull();
    expect(validateCron('15 3 * * mon', 'UTC')).toBeNull();
  });
  it('says what is wrong otherwise', () => {
    expect(validateCron('0 * * *', 'UTC')).toMatch(/^cronExpression: .*5 fields/);
    expect(validateCron('0 0 * * *', 'Mars/Olympus_Mons')).toBe(
      'cronTimeZone "Mars/Olympus_Mons" is not a known IANA time zone',
    );
    expect(validateCron('0 0 31 2 *', 'UTC')).toBe('cronExpression "0 0 31 2 *" never matches a date');
  });
});
