import { illegalState } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/**
 * The scheduling record of one connection, stream `schedule-<connectionId>`: why each due sync did or did not
 * run. A decision is about one `dueAt` (epoch seconds, computed alike by every scheduler from the jobs), so
 * appending it with the stream revision that was read is a claim: of several schedulers deciding the same
 * due time, one appends and the others see it decided and do nothing.
 */
export type SkipReason = 'running' | 'inactive';

export type ScheduleCommand =
  | {
      type: 'RecordDecision';
      data: {
        connectionId: string;
        decision: 'fire' | 'skip';
        reason?: SkipReason;
        dueAt: number;
        at: number;
      };
    }
  | { type: 'RecordFiredJob'; data: { connectionId: string; dueAt: number; jobId: number } }
  | { type: 'RecordFireFailure'; data: { connectionId: string; dueAt: number; reason: string; at: number } };

export type ScheduleEvent =
  /** Claimed: this scheduler is asking for the sync now. */
  | { type: 'ScheduledSyncFired'; data: { connectionId: string; dueAt: number; at: number } }
  /** The sync the fire asked for is this job (a new one, or the one already running for the connection). */
  | { type: 'ScheduledSyncStarted'; data: { connectionId: string; dueAt: number; jobId: number } }
  /** Asking for the sync failed (jobs service unreachable, ...); the due time is fired again later. */
  | { type: 'ScheduledSyncFailed'; data: { connectionId: string; dueAt: number; reason: string; at: number } }
  | { type: 'ScheduledSyncSkipped'; data: { connectionId: string; dueAt: number; reason: SkipReason } };

/** Where the decision about one due time stands. */
export type DueTimeState =
  | { status: 'fired'; at: number }
  | { status: 'started'; jobId: number }
  | { status: 'failed'; at: number }
  | { status: 'skipped'; reason: SkipReason };

export interface ScheduleState {
  /** Keyed by `dueAt`. */
  dueTimes: Readonly<Record<string, DueTimeState>>;
}

/**
 * A fire whose outcome was never recorded (its scheduler died between claim and call) may be taken over
 * after this long; longer than any sync request may take, so a live scheduler has had its answer by then.
 */
export const FIRE_CLAIM_TIMEOUT_SECONDS = 120;
/** After a failed fire, the same due time is fired again no sooner than this. */
export const FIRE_RETRY_SECONDS = 30;

export const scheduleStream = (connectionId: string) => `schedule-${connectionId}`;

/** May a fire of this due time go ahead, given what was decided about it before? */
const mayFire = (previous: DueTimeState | undefined, at: number) => {
  switch (previous?.status) {
    case undefined:
    case 'skipped':
      return true;
    case 'fired':
      return at >= previous.at + FIRE_CLAIM_TIMEOUT_SECONDS;
    case 'failed':
      return at >= previous.at + FIRE_RETRY_SECONDS;
    case 'started':
      return false;
    default:
      return exhaustive(previous);
  }
};

/** A skip is recorded once per due time and reason; never over a fire, whose own job is what runs. */
const maySkip = (previous: DueTimeState | undefined, reason: SkipReason) =>
  previous === undefined ||
  previous.status === 'failed' ||
  (previous.status === 'skipped' && previous.reason !== reason);

const decideRecord = (
  data: Extract<ScheduleCommand, { type: 'RecordDecision' }>['data'],
  state: ScheduleState,
): ScheduleEvent[] => {
  const { connectionId, dueAt, at } = data;
  const previous = state.dueTimes[dueAt];
  if (data.decision === 'fire') {
    return mayFire(previous, at) ? [{ type: 'ScheduledSyncFired', data: { connectionId, dueAt, at } }] : [];
  }
  const reason = data.reason ?? 'running';
  return maySkip(previous, reason)
    ? [{ type: 'ScheduledSyncSkipped', data: { connectionId, dueAt, reason } }]
    : [];
};

/** An outcome belongs to a fire of that due time; recording it again is harmless. */
const firedOrThrow = (state: ScheduleState, dueAt: number) => {
  const previous = state.dueTimes[dueAt];
  if (previous?.status !== 'fired' && previous?.status !== 'started') {
    throw illegalState('schedule.not_fired', `due time ${dueAt} was not fired`);
  }
  return previous;
};

export const scheduleDecider: Decider<ScheduleCommand, ScheduleState, ScheduleEvent> = {
  initialState: { dueTimes: {} },
  decide(command, state) {
    switch (command.type) {
      case 'RecordDecision':
        return decideRecord(command.data, state);
      case 'RecordFiredJob':
        return firedOrThrow(state, command.data.dueAt).status === 'started'
          ? []
          : [{ type: 'ScheduledSyncStarted', data: command.data }];
      case 'RecordFireFailure':
        return firedOrThrow(state, command.data.dueAt).status === 'started'
          ? []
          : [{ type: 'ScheduledSyncFailed', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    return { dueTimes: { ...state.dueTimes, [event.data.dueAt]: dueTimeAfter(event) } };
  },
};

const dueTimeAfter = (event: ScheduleEvent): DueTimeState => {
  switch (event.type) {
    case 'ScheduledSyncFired':
      return { status: 'fired', at: event.data.at };
    case 'ScheduledSyncStarted':
      return { status: 'started', jobId: event.data.jobId };
    case 'ScheduledSyncFailed':
      return { status: 'failed', at: event.data.at };
    case 'ScheduledSyncSkipped':
      return { status: 'skipped', reason: event.data.reason };
    default:
      return exhaustive(event);
  }
};
