import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, it } from 'vitest';
import {
  FIRE_CLAIM_TIMEOUT_SECONDS,
  FIRE_RETRY_SECONDS,
  scheduleDecider,
  type ScheduleCommand,
  type ScheduleEvent,
} from './schedule-decider.ts';

const connectionId = 'c1';
const D = 1_000;
const T = 5_000;

const fire = (dueAt = D, at = T): ScheduleCommand => ({
  type: 'RecordDecision',
  data: { connectionId, decision: 'fire', dueAt, at },
});
const skip = (reason: 'running' | 'inactive', dueAt = D): ScheduleCommand => ({
  type: 'RecordDecision',
  data: { connectionId, decision: 'skip', reason, dueAt, at: T },
});
const fired = (dueAt = D, at = T): ScheduleEvent => ({
  type: 'ScheduledSyncFired',
  data: { connectionId, dueAt, at },
});
const started: ScheduleEvent = { type: 'ScheduledSyncStarted', data: { connectionId, dueAt: D, jobId: 7 } };
const failed: ScheduleEvent = {
  type: 'ScheduledSyncFailed',
  data: { connectionId, dueAt: D, reason: 'bus.timeout', at: T + 10 },
};
const skipped = (reason: 'running' | 'inactive'): ScheduleEvent => ({
  type: 'ScheduledSyncSkipped',
  data: { connectionId, dueAt: D, reason },
});

describe('scheduleDecider', () => {
  it('fires a due time once: a second scheduler, or a retry, finds it decided', () => {
    givenEvents(scheduleDecider, []).when(fire()).thenEmits([fired()]);
    givenEvents(scheduleDecider, [fired()])
      .when(fire(D, T + 5))
      .thenEmits([]);
    givenEvents(scheduleDecider, [fired(), started])
      .when(fire(D, T + 10_000))
      .thenEmits([]);
  });
  it('decides each due time on its own', () => {
    givenEvents(scheduleDecider, [fired(), started])
      .when(fire(D + 3_600))
      .thenEmits([fired(D + 3_600)]);
  });
  it('records a skip once per due time and reason, not on every tick', () => {
    givenEvents(scheduleDecider, [])
      .when(skip('running'))
      .thenEmits([skipped('running')]);
    givenEvents(scheduleDecider, [skipped('running')])
      .when(skip('running'))
      .thenEmits([]);
    givenEvents(scheduleDecider, [skipped('running')])
      .when(skip('inactive'))
      .thenEmits([skipped('inactive')]);
  });
  it('does not call the sync it fired itself a skip', () => {
    givenEvents(scheduleDecider, [fired()]).when(skip('running')).thenEmits([]);
    givenEvents(scheduleDecider, [fired(), started]).when(skip('running')).thenEmits([]);
  });
  it('fires a due time that was skipped once the reason is gone', () => {
    givenEvents(scheduleDecider, [skipped('running')])
      .when(fire())
      .thenEmits([fired()]);
  });
  it('lets another scheduler take over a fire whose scheduler never said how it went', () => {
    const late = T + FIRE_CLAIM_TIMEOUT_SECONDS;
    givenEvents(scheduleDecider, [fired()])
      .when(fire(D, late - 1))
      .thenEmits([]);
    givenEvents(scheduleDecider, [fired()])
      .when(fire(D, late))
      .thenEmits([fired(D, late)]);
  });
  it('fires again after a failed request, no sooner than the retry delay', () => {
    const retry = T + 10 + FIRE_RETRY_SECONDS;
    givenEvents(scheduleDecider, [fired(), failed])
      .when(fire(D, retry - 1))
      .thenEmits([]);
    givenEvents(scheduleDecider, [fired(), failed])
      .when(fire(D, retry))
      .thenEmits([fired(D, retry)]);
  });
  it('records the job of a fire once, and only of a fire', () => {
    const recordJob: ScheduleCommand = { type: 'RecordFiredJob', data: { connectionId, dueAt: D, jobId: 7 } };
    givenEvents(scheduleDecider, []).when(recordJob).thenFails('schedule.not_fired');
    givenEvents(scheduleDecider, [fired()]).when(recordJob).thenEmits([started]);
    givenEvents(scheduleDecider, [fired(), started]).when(recordJob).thenEmits([]);
  });
  it('records a failed request, but not over a job already recorded', () => {
    const recordFailure: ScheduleCommand = { type: 'RecordFireFailure', data: failed.data as never };
    givenEvents(scheduleDecider, [fired()]).when(recordFailure).thenEmits([failed]);
    givenEvents(scheduleDecider, [fired(), started]).when(recordFailure).thenEmits([]);
    givenEvents(scheduleDecider, [skipped('running')])
      .when(recordFailure)
      .thenFails('schedule.not_fired');
  });
});
