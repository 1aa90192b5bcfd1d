export { startScheduler, SCHEDULER_ACTOR, type Scheduler, type SchedulerOptions } from './scheduler.ts';
export { due, type Due, type JobSummary, type ScheduledConnection } from './due.ts';
export { scheduleDecider, scheduleStream, type ScheduleEvent } from './schedule-decider.ts';
