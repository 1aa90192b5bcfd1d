import { CronSyntaxError, parseCron, type Cron } from './cron.ts';
import { daysInMonth, isTimeZone, sameWallMinute, wallClock, type WallClock } from './wall-clock.ts';

const MINUTE = 60;
// A leap day on one weekday comes back within 28 years; beyond that an expression never matches.
const HORIZON_SECONDS = 29 * 366 * 86_400;

const dayMatches = (cron: Cron, w: WallClock) => {
  const byDay = cron.days.has(w.day);
  const byWeekday = cron.weekdays.has(w.weekday);
  return cron.months.has(w.month) && (cron.daysAnded ? byDay && byWeekday : byDay || byWeekday);
};

const minutesToNextDay = (w: WallClock) => 1440 - (w.hour * 60 + w.minute);
const minutesToNextMonth = (w: WallClock) =>
  (daysInMonth(w.year, w.month) - w.day) * 1440 + minutesToNextDay(w);
/**
 * Jumps count wall-clock minutes but move real time, so a DST change on the way could carry us past the
 * boundary we aim for. Stopping an hour short (the largest DST shift) lands before it; the next step gets there.
 */
const shortOfBoundary = (minutes: number) => (minutes > 60 ? minutes - 60 : minutes);

/** Minutes to skip from `w` towards the next candidate, or 0 when `w` itself matches. */
const minutesToSkip = (cron: Cron, w: WallClock) => {
  if (!cron.months.has(w.month)) return shortOfBoundary(minutesToNextMonth(w));
  if (!dayMatches(cron, w)) return shortOfBoundary(minutesToNextDay(w));
  if (!cron.hours.has(w.hour)) return 60 - w.minute;
  if (cron.minutes.has(w.minute)) return 0;
  const next = [...cron.minutes].filter((m) => m > w.minute).sort((a, b) => a - b)[0];
  return next === undefined ? 60 - w.minute : next - w.minute;
};

/** The wall time already happened an hour (or half an hour, Lord Howe) earlier: the clock was set back. */
const isRepeatedWallTime = (t: number, timeZone: string, w: WallClock) =>
  [30, 60].some((back) => sameWallMinute(wallClock(t - back * MINUTE, timeZone), w));

/**
 * The first whole minute strictly after `afterEpochSeconds` whose wall clock in `timeZone` matches, in epoch
 * seconds; null when none comes within 29 years. DST: a wall time skipped by the spring change does not run
 * that day; one repeated by the autumn change runs once, at its first occurrence.
 */
export const nextCronTime = (cron: Cron, timeZone: string, afterEpochSeconds: number): number | null => {
  let t = Math.floor(afterEpochSeconds / MINUTE) * MINUTE + MINUTE;
  const horizon = afterEpochSeconds + HORIZON_SECONDS;
  while (t <= horizon) {
    const w = wallClock(t, timeZone);
    const skip = minutesToSkip(cron, w);
    if (skip === 0 && !isRepeatedWallTime(t, timeZone, w)) return t;
    t += Math.max(skip, 1) * MINUTE;
  }
  return null;
};

/**
 * Checks a cron schedule before it is stored: the error message to show (answered as a 422), or null when
 * the expression parses, the zone is a known IANA zone and the expression matches at least once.
 */
export const validateCron = (expression: string, timeZone: string, nowEpochSeconds = Date.now() / 1000) => {
  if (!isTimeZone(timeZone)) return `cronTimeZone "${timeZone}" is not a known IANA time zone`;
  try {
    const cron = parseCron(expression);
    if (nextCronTime(cron, timeZone, nowEpochSeconds) === null) {
      return `cronExpression "${expression}" never matches a date`;
    }
    return null;
  } catch (error) {
    if (error instanceof CronSyntaxError) return `cronExpression: ${error.message}`;
    throw error;
  }
};
