import { describe, expect, it } from 'vitest';
import { syncActivityOf } from './sync-activity.ts';

const job = (jobId: number, configId: string, status: string, createdAt = 1_000 + jobId) => ({
  jobId,
  configId,
  status: status as 'pending',
  createdAt,
});

describe('syncActivityOf', () => {
  it("gives each connection its newest sync job's creation time, by job id whatever the read order", () => {
    const jobs = [job(2, 'a', 'succeeded', 50), job(7, 'a', 'failed', 40), job(3, 'b', 'cancelled')];
    expect(syncActivityOf(jobs, ['a', 'b'])).toEqual([
      { connectionId: 'a', lastSync: 40, isSyncing: false },
      { connectionId: 'b', lastSync: 1_003, isSyncing: false },
    ]);
  });

  it('is syncing while any of its sync jobs is pending, running or incomplete, not only the newest', () => {
    const jobs = [
      job(1, 'a', 'running'),
      job(2, 'a', 'succeeded'),
      job(3, 'b', 'pending'),
      job(4, 'c', 'incomplete'),
      job(5, 'd', 'failed'),
    ];
    expect(syncActivityOf(jobs, ['a', 'b', 'c', 'd']).map((a) => a.isSyncing)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('answers in the order asked, a never synced connection with null, and ignores connections not asked', () => {
    const jobs = [job(1, 'other', 'running'), job(2, 'b', 'succeeded')];
    expect(syncActivityOf(jobs, ['never', 'b'])).toEqual([
      { connectionId: 'never', lastSync: null, isSyncing: false },
      { connectionId: 'b', lastSync: 1_002, isSyncing: false },
    ]);
  });
});
