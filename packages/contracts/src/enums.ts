import { z } from 'zod';

/** Enum spellings exactly as Airbyte's clients send and expect them (api-facts.md, "Enums"). */
export const JobStatus = z
  .enum(['pending', 'running', 'incomplete', 'failed', 'succeeded', 'cancelled'])
  .meta({
    id: 'JobStatus',
  });
export const AttemptStatus = z.enum(['running', 'failed', 'succeeded']).meta({ id: 'AttemptStatus' });
/** `reset_connection` is ours, as Airbyte added it days after the seed's release. */
export const JobConfigType = z
  .enum([
    'check_connection_source',
    'check_connection_destination',
    'discover_schema',
    'get_spec',
    'sync',
    'reset_connection',
  ])
  .meta({ id: 'JobConfigType' });
export const SyncMode = z.enum(['full_refresh', 'incremental']).meta({ id: 'SyncMode' });
/** Extension: how a stream lands at the destination, as later Airbyte versions name it. */
export const DestinationSyncMode = z
  .enum(['append', 'overwrite', 'append_dedup'])
  .meta({ id: 'DestinationSyncMode' });
export const DataType = z.enum(['string', 'number', 'boolean', 'object', 'array']).meta({ id: 'DataType' });
export const ConnectionStatus = z
  .enum(['active', 'inactive', 'deprecated'])
  .meta({ id: 'ConnectionStatus', description: 'Active means that data is flowing through the connection.' });
export const TimeUnit = z.enum(['minutes', 'hours', 'days', 'weeks', 'months']);
/** Extension: the schedule kinds Airbyte adopted later, so its newer clients understand ours. */
export const ScheduleType = z.enum(['manual', 'basic', 'cron']).meta({ id: 'ConnectionScheduleType' });
export const CheckStatus = z.enum(['succeeded', 'failed']);

export type JobStatus = z.infer<typeof JobStatus>;
export type AttemptStatus = z.infer<typeof AttemptStatus>;
export type JobConfigType = z.infer<typeof JobConfigType>;
export type SyncMode = z.infer<typeof SyncMode>;
export type DestinationSyncMode = z.infer<typeof DestinationSyncMode>;
export type DataType = z.infer<typeof DataType>;
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;
export type TimeUnit = z.infer<typeof TimeUnit>;
export type ScheduleType = z.infer<typeof ScheduleType>;
