import type { JobStatus, ScheduledConnectionsRead, TimeUnit } from '@ferry/contracts';
import { nextCronTime, parseCron } from '@ferry/cron';

export type ScheduledConnection = ScheduledConnectionsRead['connections'][number];

/** What the scheduler needs of a sync or reset_connection job; times in epoch seconds. */
export interface JobSummary {
  id: number;
  status: JobStatus;
  createdAt: number;
  updatedAt: number;
}

/**
 * `dueAt` (epoch seconds) names the due time a decision is about, so that schedulers agree on it: the same
 * jobs give the same `dueAt`. 0 means "never synced, due at once".
 */
export type Due =
  | { kind: 'fire'; dueAt: number }
  | { kind: 'skip'; reason: 'running' | 'inactive'; dueAt: number }
  | { kind: 'wait'; nextAt: number | null };

const SECONDS: Record<TimeUnit, number> = {
  minutes: 60,
  hours: 3_600,
  days: 86_400,
  weeks: 7 * 86_400,
  // api-facts.md: a month counts 30 days.
  months: 30 * 86_400,
};

const ACTIVE: ReadonlySet<JobStatus> = new Set(['pending', 'running', 'incomplete']);
const ENDED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

const byNewest = (jobs: readonly JobSummary[]) =>
  [...jobs].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);

/**
 * Basic schedule: due one interval after the newest ended job (or at once when none ever ended). A
 * cancelled job counts as ended: a cancelled sync waits for its next scheduled time instead of being started
 * again at once, the Airbyte behaviour its users filed as a bug (airbytehq/airbyte#8808, #16905, #42941).
 */
const basicDueAt = (jobs: readonly JobSummary[], schedule: { units: number; timeUnit: TimeUnit }) => {
  const ended = jobs.find((j) => ENDED.has(j.status));
  return ended ? ended.updatedAt + schedule.units * SECONDS[schedule.timeUnit] : 0;
};

/**
 * Cron: the first cron time after the newest job ended (after it was created, while it runs); with no job,
 * the first cron time after a minute ago, so a connection fires at its first matching minute. Counting from
 * the end rather than the creation means a cron time that passed while a sync ran is skipped, not caught up
 * when that sync ends.
 */
const cronDueAt = (
  jobs: readonly JobSummary[],
  cron: { cronExpression: string; cronTimeZone: string },
  now: number,
) => {
  const newest = jobs[0];
  const after = !newest ? now - 60 : ACTIVE.has(newest.status) ? newest.createdAt : newest.updatedAt;
  return nextCronTime(parseCron(cron.cronExpression), cron.cronTimeZone, after);
};

const dueAtOf = (connection: ScheduledConnection, jobs: readonly JobSummary[], now: number) => {
  if (connection.scheduleType === 'basic' && connection.schedule)
    return basicDueAt(jobs, connection.schedule);
  if (connection.scheduleType === 'cron' && connection.cron) return cronDueAt(jobs, connection.cron, now);
  return null;
};

/**
 * Whether a connection's scheduled sync should start now (api-facts.md, "Scheduler and jobs"). `jobs` are its
 * sync and reset_connection jobs in any order; `now` is in epoch seconds. Pure: the same inputs give the same
 * answer on every scheduler. Throws on a cron expression that does not parse (config validates it on write).
 */
export const due = (connection: ScheduledConnection, jobs: readonly JobSummary[], now: number): Due => {
  const newestFirst = byNewest(jobs);
  const dueAt = dueAtOf(connection, newestFirst, now);
  if (dueAt === null || dueAt > now) return { kind: 'wait', nextAt: dueAt };
  if (connection.status !== 'active') {
    return { kind: 'skip', reason: 'inactive', dueAt };
  }
  // Never while a sync or reset of the connection is pending, running or incomplete.
  if (newestFirst.some((j) => ACTIVE.has(j.status))) return { kind: 'skip', reason: 'running', dueAt };
  return { kind: 'fire', dueAt };
};
