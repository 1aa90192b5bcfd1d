import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError, type JobConfigType } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';
import { jobDecider, jobStream } from '../job/job.ts';
import { registeredJobId } from '../ledger/ledger.ts';
import { decideOnLedger, readLedger, releaseIfEnded } from '../ledger/ledger-stream.ts';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import { epochSeconds, write, type JobsDeps } from './deps.ts';

export interface JobRequest {
  configType: JobConfigType;
  configId: string;
  maxAttempts: number;
  /** At most one active job of this kind per configId (syncs and resets of a connection). */
  exclusive?: boolean;
  idempotencyKey?: string | null;
  /** The version of the connection a sync or reset job was made from (see `JobFields`). */
  connectionVersion?: number;
}

/**
 * Registers a job in the ledger (a new id, or the active/idempotent one it is answered with) and makes
 * sure its stream exists. Concurrent writers of the ledger are retried: the loser re-reads and decides
 * again, so it either gets the next id or finds the job the winner created.
 */
export const createJob = async (
  deps: JobsDeps,
  request: JobRequest,
  ctx: RequestContext,
): Promise<{ jobId: number; created: boolean }> => {
  const data = {
    configType: request.configType,
    configId: request.configId,
    exclusive: request.exclusive ?? false,
    idempotencyKey: request.idempotencyKey ?? null,
  };
  // A job that ended may still hold its connection until its end is followed by the release (the
  // runner's report, or the supervisor's next round): release it now, so the caller gets a new job.
  const holder = data.exclusive ? (await readLedger(deps)).active[data.configId] : undefined;
  if (holder) await releaseIfEnded(deps, holder.jobId, ctx);
  for (let tries = 0; ; tries++) {
    try {
      const ledger = await decideOnLedger(deps, { type: 'RegisterJob', data }, ctx);
      const jobId = registeredJobId(ledger.state, data);
      const job = {
        jobId,
        configType: request.configType,
        configId: request.configId,
        createdAt: epochSeconds(),
        maxAttempts: request.maxAttempts,
        ...(request.connectionVersion === undefined ? {} : { connectionVersion: request.connectionVersion }),
      };
      const created = await write(deps, jobStream(jobId), jobDecider, { type: 'CreateJob', data: job }, ctx);
      return { jobId, created: created.appended > 0 };
    } catch (error) {
      const raced = error instanceof DomainError && error.code === 'concurrent_write';
      if (!raced || tries >= 50) throw error;
    }
  }
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
  if (!outcome.succeeded) {
    await noteInLog(deps, jobId, attempt, `attempt ${attempt} failed: ${outcome.failureReason ?? 'failed'}`);
  }
};

/**
 * Adds the jobs service's own word to an attempt's log, so that `jobs/get` shows why an attempt ended even
 * when its runner never wrote again (lease lost, never dispatched, cancelled).
 */
export const noteInLog = async (deps: JobsDeps, jobId: number, attempt: number, line: string) => {
  const job = await deps.reads.get<JobDoc>(COLLECTION.jobs, String(jobId));
  const logPath = job?.attempts[attempt]?.logPath;
  if (!logPath) return;
  await mkdir(dirname(logPath), { recursive: true });
  await appendFile(logPath, `${new Date().toISOString()} jobs > ${line}\n`);
};
