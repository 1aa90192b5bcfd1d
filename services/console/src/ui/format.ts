/** Formatting for people: times, sizes, schedules. Pure, so the specs can hold it to its word. */

interface Schedule {
  units: number;
  timeUnit: string;
}
interface Scheduled {
  schedule?: Schedule | null | undefined;
  scheduleType?: 'manual' | 'basic' | 'cron' | null | undefined;
  scheduleData?: {
    basicSchedule?: Schedule | null | undefined;
    cron?: { cronExpression: string; cronTimeZone: string } | null | undefined;
  } | null;
}

const singular = (units: number, unit: string) => (units === 1 ? unit.replace(/s$/, '') : unit);

export const scheduleText = (connection: Scheduled): string => {
  const cron = connection.scheduleData?.cron;
  if (connection.scheduleType === 'cron' && cron) return `cron ${cron.cronExpression} (${cron.cronTimeZone})`;
  const basic = connection.schedule ?? connection.scheduleData?.basicSchedule;
  if (basic && connection.scheduleType !== 'manual')
    return `every ${basic.units} ${singular(basic.units, basic.timeUnit)}`;
  return 'manual';
};

/** Epoch seconds (the API's job times) or an ISO time → a local date and time. */
export const timeText = (at: number | string | null | undefined): string => {
  if (at === null || at === undefined) return 'never';
  const date = typeof at === 'number' ? new Date(at * 1000) : new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toLocaleString();
};

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

export const bytesText = (bytes: number | null | undefined): string => {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
};

export const countText = (count: number | null | undefined): string =>
  count === null || count === undefined ? '—' : count.toLocaleString('en-US');

/** How long between two epoch-second times, as "1 min 5 s". */
export const durationText = (from: number, to: number): string => {
  const seconds = Math.max(0, Math.round(to - from));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

/** `source:user:ada` style actors (principals.ts) read as "user ada". */
export const actorText = (actor: string): string =>
  actor
    .split(':')
    .join(' ')
    .replace(/^user /, 'user ');
