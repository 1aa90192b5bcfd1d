import { join } from 'node:path';
import { DomainError, type JobConfigType } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';
import { jobDecider, jobStream } from '../job/job.ts';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import { epochSeconds, write, type JobsDeps } from './deps.ts';

/**
 * Job ids are int64 and sequential, as Airbyte's. The next id is one past the newest known job; a
 * concurrent creator that takes it first makes our append fail (`no_stream` expected) and we try the next.
 */
export const createJob = async (
  deps: JobsDeps,
  configType: JobConfigType,
  configId: string,
  maxAttempts: number,
  ctx: RequestContext,
): Promise<number> => {
  const [newest] = await deps.reads.find<JobDoc>(COLLECTION.jobs, {
    orderBy: { field: 'jobId', direction: 'desc' },
    limit: 1,
  });
  let jobId = (newest?.jobId ?? 0) + 1;
  for (let tries = 0; tries < 50; tries++, jobId++) {
    try {
      const data = { jobId, configType, configId, createdAt: epochSeconds(), maxAttempts };
      const result = await write(deps, jobStream(jobId), jobDecider, { type: 'CreateJob', data }, ctx);
      if (result.appended > 0) return jobId;
    } catch (error) {
      if (!(error instanceof DomainError && error.category === 'conflict')) throw error;
    }
  }
  throw new DomainError({
    code: 'job.id_exhausted',
    category: 'unavailable',
    message: 'could not allocate a job id; retry',
  });
};

export const startAttempt = async (deps: JobsDeps, jobId: number, ctx: RequestContext) => {
  const job = await deps.reads.get<JobDoc>(COLLECTION.jobs, String(jobId));
  const attempt = job?.attempts.length ?? 0;
  const logPath = join(deps.logDir, String(jobId), `${attempt}.log`);
  await write(
    deps,
    jobStream(jobId),
    jobDecider,
    { type: 'StartAttempt', data: { jobId, logPath, at: epochSeconds() } },
    ctx,
  );
  return { attempt, logPath };
};

export interface AttemptOutcome {
  succeeded: boolean;
  failureReason: string | null;
  output: Record<string, unknown> | null;
  recordsSynced?: number | null;
  bytesSynced?: number | null;
}

export const endAttempt = async (
  deps: JobsDeps,
  jobId: number,
  attempt: number,
  outcome: AttemptOutcome,
  ctx: RequestContext,
) => {
  const counts = {
    recordsSynced: outcome.recordsSynced ?? null,
    bytesSynced: outcome.bytesSynced ?? null,
    at: epochSeconds(),
  };
  const command = outcome.succeeded
    ? { type: 'SucceedAttempt' as const, data: { jobId, attempt, output: outcome.output, ...counts } }
    : {
        type: 'FailAttempt' as const,
        data: { jobId, attempt, reason: outcome.failureReason ?? 'failed', ...counts },
      };
  await write(deps, jobStream(jobId), jobDecider, command, ctx);
};
