import type { ConnectionRead } from '@ferry/contracts';

/** Columns padded to their widest cell; the last column is not padded, so long names do not add blanks. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
};

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

export const formatBytes = (bytes: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
};

/** `m:ss`, or `h:mm:ss` from an hour. */
export const formatDuration = (seconds: number) => {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hours > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
};

/** Epoch seconds as local `YYYY-MM-DD HH:MM:SS`. */
export const formatTime = (epochSeconds: number) => {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** `manual`, `every 6 hours`, `cron 0 3 * * * (Europe/Berlin)`: from scheduleType/scheduleData, else schedule. */
export const describeSchedule = (c: Pick<ConnectionRead, 'schedule' | 'scheduleType' | 'scheduleData'>) => {
  const cron = c.scheduleData?.cron;
  if (c.scheduleType === 'cron' && cron) return `cron ${cron.cronExpression} (${cron.cronTimeZone})`;
  const basic = c.scheduleData?.basicSchedule ?? c.schedule;
  if (c.scheduleType === 'manual' || !basic) return 'manual';
  const unit = basic.units === 1 ? basic.timeUnit.replace(/s$/, '') : basic.timeUnit;
  return basic.units === 1 ? `every ${unit}` : `every ${basic.units} ${unit}`;
};
