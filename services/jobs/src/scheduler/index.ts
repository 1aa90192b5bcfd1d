export { startScheduler, SCHEDULER_ACTOR, type Scheduler, type SchedulerOptions } from './scheduler.ts';
export { validateCron, nextCronTime } from './cron-time.ts';
export { parseCron, CronSyntaxError } from './cron.ts';
export { due, type Due, type JobSummary, type ScheduledConnection } from './due.ts';
export { scheduleDecider, scheduleStream, type ScheduleEvent } from './schedule-decider.ts';
