import type { Response } from '../api/operations.ts';

type ConnectionRead = Response<'webBackendGetConnection'>;
type TimeUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months';

/** A schedule as the form edits it. */
export type ScheduleDraft = {
  type: 'manual' | 'basic' | 'cron';
  units: string;
  timeUnit: TimeUnit;
  cronExpression: string;
  cronTimeZone: string;
};

export const TIME_UNITS: readonly TimeUnit[] = ['minutes', 'hours', 'days', 'weeks', 'months'];

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const scheduleDraftOf = (
  connection?: Pick<ConnectionRead, 'schedule' | 'scheduleType' | 'scheduleData'>,
): ScheduleDraft => {
  const basic = connection?.schedule ?? connection?.scheduleData?.basicSchedule;
  const cron = connection?.scheduleData?.cron;
  return {
    type: connection?.scheduleType ?? (basic ? 'basic' : 'manual'),
    units: String(basic?.units ?? 1),
    timeUnit: basic?.timeUnit ?? 'hours',
    cronExpression: cron?.cronExpression ?? '0 * * * *',
    cronTimeZone: cron?.cronTimeZone ?? browserTimeZone(),
  };
};

/** The scheduling fields of connections/create and /update; both the seed's and the later spelling. */
export const schedulingOf = (draft: ScheduleDraft) => {
  if (draft.type === 'manual') return { schedule: null, scheduleType: 'manual' as const };
  if (draft.type === 'basic') {
    const basic = { units: Number(draft.units), timeUnit: draft.timeUnit };
    return { schedule: basic, scheduleType: 'basic' as const, scheduleData: { basicSchedule: basic } };
  }
  return {
    schedule: null,
    scheduleType: 'cron' as const,
    scheduleData: {
      cron: { cronExpression: draft.cronExpression.trim(), cronTimeZone: draft.cronTimeZone.trim() },
    },
  };
};
