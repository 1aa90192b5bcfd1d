import { z } from 'zod';
import { AttemptStatus, JobConfigType, JobStatus } from '../enums.ts';
import { int64, optional } from './common.ts';
import { pageRequestFields, pageResponseFields } from './paging.ts';

export const JobId = int64().meta({ id: 'JobId' });
export const JobIdRequestBody = z.object({ id: JobId }).meta({ id: 'JobIdRequestBody' });
export const JobListRequestBody = z
  .object({ configType: JobConfigType, configId: z.string().min(1), ...pageRequestFields })
  .meta({ id: 'JobListRequestBody' });

export const JobRead = z
  .object({
    id: JobId,
    configType: JobConfigType,
    configId: z.string(),
    createdAt: int64(),
    updatedAt: int64(),
    status: JobStatus,
    connectionVersion: optional(z.number().int().min(1)).meta({
      description:
        'Extension: the version of the connection (history/list) a sync or reset job was made from; null for other jobs.',
    }),
  })
  .meta({ id: 'JobRead' });

export const AttemptRead = z
  .object({
    id: int64(),
    status: AttemptStatus,
    createdAt: int64(),
    updatedAt: int64(),
    endedAt: optional(int64()),
    bytesSynced: optional(int64()),
    recordsSynced: optional(int64()),
    // Extensions (ADR 0004), present while a source sends TRACE estimates: the records it expects in all,
    // the share synced so far, and the expected end (epoch seconds) at the rate so far.
    estimatedRecords: int64().optional(),
    progressPercent: z.number().min(0).max(100).optional(),
    estimatedEndAt: int64().nullable().optional(),
  })
  .meta({ id: 'AttemptRead' });

export const LogRead = z.object({ logLines: z.array(z.string()) }).meta({ id: 'LogRead' });
export const AttemptInfoRead = z
  .object({ attempt: AttemptRead, logs: LogRead })
  .meta({ id: 'AttemptInfoRead' });
export const JobInfoRead = z
  .object({ job: JobRead, attempts: z.array(AttemptInfoRead) })
  .meta({ id: 'JobInfoRead' });
export const JobWithAttemptsRead = z
  .object({ job: JobRead, attempts: z.array(AttemptRead) })
  .meta({ id: 'JobWithAttemptsRead' });
export const JobReadList = z
  .object({ jobs: z.array(JobWithAttemptsRead), ...pageResponseFields })
  .meta({ id: 'JobReadList' });

export type JobRead = z.infer<typeof JobRead>;
export type AttemptRead = z.infer<typeof AttemptRead>;
export type JobInfoRead = z.infer<typeof JobInfoRead>;
export type JobWithAttemptsRead = z.infer<typeof JobWithAttemptsRead>;
