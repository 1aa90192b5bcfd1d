import type { RequestOf, SyncActivityRead } from '@ferry/contracts';
import type { FindOptions } from '@ferry/read-store';
import { COLLECTION, type JobDoc } from '../projections/projections.ts';
import type { JobsDeps } from './deps.ts';

type Activity = SyncActivityRead['activity'][number];
type SyncJob = Pick<JobDoc, 'jobId' | 'configId' | 'createdAt' | 'status'>;

/** Statuses in which a sync still holds its connection (Airbyte's web app shows it as syncing). */
const ACTIVE_JOB: ReadonlySet<string> = new Set(['pending', 'running', 'incomplete']);
/**
 * Up to this many connections the read names each one (three parameters apiece, far under SQLite's
 * limit); a longer list, a workspace's at 10,000 connections, reads every sync job once instead.
 */
const NAMED_LIMIT = 100;

/**
 * Each connection's newest sync job's creation time and whether one of its sync jobs is active, in the
 * order asked: what a per-connection `listJobsFor` gave (newest = highest job id), from one pass.
 */
export const syncActivityOf = (jobs: Iterable<SyncJob>, connectionIds: readonly string[]): Activity[] => {
  const newest = new Map<string, SyncJob>();
  const syncing = new Set<string>();
  for (const job of jobs) {
    const seen = newest.get(job.configId);
    if (!seen || job.jobId > seen.jobId) newest.set(job.configId, job);
    if (ACTIVE_JOB.has(job.status)) syncing.add(job.configId);
  }
  return connectionIds.map((connectionId) => ({
    connectionId,
    lastSync: newest.get(connectionId)?.createdAt ?? null,
    isSyncing: syncing.has(connectionId),
  }));
};

export const syncActivityHandlers = (deps: JobsDeps) => ({
  listSyncActivity: async (req: RequestOf<'listSyncActivity'>) => {
    const where: FindOptions['where'] = { configType: 'sync' };
    if (req.connectionIds.length <= NAMED_LIMIT) where.configId = req.connectionIds;
    const jobs = await deps.reads.find<JobDoc>(COLLECTION.jobs, { where });
    return { body: { activity: syncActivityOf(jobs, req.connectionIds) } };
  },
});
