export { parseCron, CronSyntaxError, type Cron } from './cron.ts';
export { nextCronTime, validateCron } from './cron-time.ts';
