import { describe, expect, it } from 'vitest';
import type { Attempt } from '../job/job.ts';
import { attemptRead } from './job-queries.ts';

const attempt = (over: Partial<Attempt>): Attempt => ({
  number: 0,
  status: 'running',
  createdAt: 1000,
  updatedAt: 1010,
  endedAt: null,
  logPath: '/dev/null',
  failureReason: null,
  recordsSynced: 250,
  bytesSynced: 1,
  ...over,
});

describe('attemptRead: progress against the source estimate (extension fields)', () => {
  it('leaves an attempt without estimate as the seed has it', () => {
    expect(Object.keys(attemptRead(attempt({})))).toEqual([
      'id',
      'status',
      'createdAt',
      'updatedAt',
      'endedAt',
      'bytesSynced',
      'recordsSynced',
    ]);
  });
  it('gives the percent and the expected end at the rate so far', () => {
    expect(attemptRead(attempt({ estimatedRecords: 1000 }))).toMatchObject({
      estimatedRecords: 1000,
      progressPercent: 25,
      estimatedEndAt: 1040,
    });
  });
  it('says 100% and the real end once the attempt succeeded, even past a low estimate', () => {
    const ended = attempt({
      status: 'succeeded',
      endedAt: 1020,
      recordsSynced: 1200,
      estimatedRecords: 1000,
    });
    expect(attemptRead(ended)).toMatchObject({ progressPercent: 100, estimatedEndAt: 1020 });
  });
});
