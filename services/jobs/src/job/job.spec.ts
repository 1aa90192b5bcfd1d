import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '@ferry/eventsourcing';
import { jobDecider, type JobEvent } from './job.ts';

const created: JobEvent = {
  type: 'JobCreated',
  data: { jobId: 7, configType: 'sync', configId: 'c', createdAt: 100, maxAttempts: 2 },
};
const started = (attempt: number): JobEvent => ({
  type: 'AttemptStarted',
  data: { jobId: 7, attempt, logPath: `/l/${attempt}`, at: 101 },
});
const counts = { recordsSynced: 1, bytesSynced: 2, at: 102 };

describe('jobDecider', () => {
  it('a failed attempt leaves the job incomplete until the last allowed attempt fails it', () => {
    const failFirst = {
      type: 'FailAttempt' as const,
      data: { jobId: 7, attempt: 0, reason: 'boom', ...counts },
    };
    givenEvents(jobDecider, [created, started(0)])
      .when(failFirst)
      .thenEmits([{ type: 'AttemptFailed', data: { ...failFirst.data, final: false } }]);
    const afterFirst = fold(jobDecider, [
      created,
      started(0),
      { type: 'AttemptFailed', data: { ...failFirst.data, final: false } },
    ]);
    expect(afterFirst.status).toBe('incomplete');
    const failSecond = {
      type: 'FailAttempt' as const,
      data: { jobId: 7, attempt: 1, reason: 'boom', ...counts },
    };
    const pastSecond: JobEvent[] = [
      created,
      started(0),
      { type: 'AttemptFailed', data: { ...failFirst.data, final: false } },
      started(1),
    ];
    givenEvents(jobDecider, pastSecond)
      .when(failSecond)
      .thenEmits([{ type: 'AttemptFailed', data: { ...failSecond.data, final: true } }]);
  });
  it('only the running attempt can end, and a finished job cannot start again', () => {
    givenEvents(jobDecider, [created])
      .when({ type: 'SucceedAttempt', data: { jobId: 7, attempt: 0, output: null, ...counts } })
      .thenFails('job.no_running_attempt');
    const succeeded: JobEvent = {
      type: 'AttemptSucceeded',
      data: { jobId: 7, attempt: 0, output: null, ...counts },
    };
    givenEvents(jobDecider, [created, started(0), succeeded])
      .when({ type: 'StartAttempt', data: { jobId: 7, logPath: 'x', at: 1 } })
      .thenFails('job.not_startable');
  });
  it('cancel ends a running attempt as failed and is harmless on a finished job', () => {
    const state = fold(jobDecider, [
      created,
      started(0),
      { type: 'JobCancelled', data: { jobId: 7, at: 103 } },
    ]);
    expect(state.status).toBe('cancelled');
    if (state.status !== 'absent') expect(state.attempts[0]?.status).toBe('failed');
    givenEvents(jobDecider, [created, { type: 'JobCancelled', data: { jobId: 7, at: 103 } }])
      .when({ type: 'CancelJob', data: { jobId: 7, at: 104 } })
      .thenEmits([]);
  });
});
