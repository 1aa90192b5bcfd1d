import { open } from 'node:fs/promises';
import { notFound, type RequestOf } from '@ferry/contracts';
import { asksForPage, pageOfOrdered } from '@ferry/eventsourcing';
import type { Attempt } from '../job/job.ts';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import type { JobsDeps } from './deps.ts';

const LOG_LINES = 1000;
/** Enough bytes for 1000 ordinary log lines; the tail is read without loading a large log whole. */
const TAIL_BYTES = 1024 * 1024;

export const tailLines = async (path: string, count = LOG_LINES): Promise<string[]> => {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return [];
  try {
    const { size } = await file.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (length < size) lines.shift(); // the first line may be cut
    return lines.slice(-count);
  } finally {
    await file.close();
  }
};

export const jobRead = (job: JobDoc) => ({
  id: job.jobId,
  configType: job.configType,
  configId: job.configId,
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  status: job.status,
  connectionVersion: job.connectionVersion ?? null,
});

export const attemptRead = (a: Attempt) => ({
  id: a.number,
  status: a.status,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
  endedAt: a.endedAt,
  bytesSynced: a.bytesSynced,
  recordsSynced: a.recordsSynced,
  ...estimateOf(a),
});

/**
 * Extensions (ADR 0004), on attempts whose source sent TRACE estimates only: the estimate, the share of
 * it synced so far, and when the attempt should end at its rate so far (epoch seconds; its end once over).
 */
const estimateOf = (a: Attempt) => {
  const estimated = a.estimatedRecords;
  if (!estimated) return {};
  const records = a.recordsSynced ?? 0;
  const done = a.status === 'succeeded';
  const progressPercent = done ? 100 : Math.min(100, Math.floor((records / estimated) * 1000) / 10);
  const elapsed = a.updatedAt - a.createdAt;
  const estimatedEndAt =
    a.endedAt ??
    (records > 0 ? a.createdAt + Math.round((elapsed * Math.max(estimated, records)) / records) : null);
  return { estimatedRecords: estimated, progressPercent, estimatedEndAt };
};

export const jobInfo = async (job: JobDoc) => ({
  job: jobRead(job),
  attempts: await Promise.all(
    job.attempts.map(async (a) => ({
      attempt: attemptRead(a),
      logs: { logLines: await tailLines(a.logPath) },
    })),
  ),
});

export const jobById = async (deps: JobsDeps, id: number) => {
  const job = await deps.reads.get<JobDoc>(COLLECTION.jobs, String(id));
  if (!job) throw notFound('job', String(id));
  return job;
};

export const jobQueryHandlers = (deps: JobsDeps) => ({
  /**
   * Newest first, attempts without logs: Airbyte's web app polls this every few seconds. A page asked for
   * is newest first too: the jobs below the job id the token names (ADR 0013). One config's jobs are read
   * whole either way: they are few, and the store keys them by id as a string, which does not order them.
   */
  listJobsFor: async (req: RequestOf<'listJobsFor'>) => {
    const where = { configType: req.configType, configId: req.configId };
    const newestFirst = { field: 'jobId', direction: 'desc' } as const;
    const all = await deps.reads.find<JobDoc>(COLLECTION.jobs, { where, orderBy: newestFirst });
    const page = asksForPage(req)
      ? pageOfOrdered(
          all,
          { collection: COLLECTION.jobs, where },
          req,
          (job) => String(job.jobId),
          (job, key) => job.jobId < Number(key),
        )
      : { docs: all };
    const jobs = page.docs.map((j) => ({ job: jobRead(j), attempts: j.attempts.map(attemptRead) }));
    return { body: { jobs, ...(page.nextPageToken && { nextPageToken: page.nextPageToken }) } };
  },
  getJobInfo: async (req: RequestOf<'getJobInfo'>) => ({ body: await jobInfo(await jobById(deps, req.id)) }),
});
