import { illegalState, notFound, type JobConfigType, type JobStatus } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/**
 * A job and its attempts. Status follows api-facts.md: `pending → running → succeeded | incomplete`,
 * `incomplete → running` (a retry) or `failed`; `cancelled` from any non-terminal state. An attempt is
 * `running → succeeded | failed`. Times arrive on the commands (epoch seconds).
 */
export interface Attempt {
  number: number;
  status: 'running' | 'failed' | 'succeeded';
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
  logPath: string;
  failureReason: string | null;
  recordsSynced: number | null;
  bytesSynced: number | null;
  /** The records the source expects to send in all (its TRACE estimates), when it gave any. */
  estimatedRecords?: number;
}

export interface JobFields {
  jobId: number;
  configType: JobConfigType;
  configId: string;
  createdAt: number;
  maxAttempts: number;
  /**
   * The version of the connection (history/list) when a sync or reset job was made: what a changed
   * schedule or catalog can be traced to. Absent on jobs made before it was recorded.
   */
  connectionVersion?: number;
}

/** The attempt a command or event is about, and when. */
type AttemptAt = { jobId: number; attempt: number; at: number };
type Counts = { recordsSynced: number | null; bytesSynced: number | null };
type Succeeded = AttemptAt & Counts & { output: Record<string, unknown> | null };
type Failed = AttemptAt & Counts & { reason: string };
type Progress = AttemptAt & { recordsSynced: number; bytesSynced: number; estimatedRecords?: number | null };

export type JobCommand =
  | { type: 'CreateJob'; data: JobFields }
  | { type: 'StartAttempt'; data: { jobId: number; logPath: string; at: number } }
  | { type: 'SucceedAttempt'; data: Succeeded }
  | { type: 'FailAttempt'; data: Failed }
  | { type: 'RecordProgress'; data: Progress }
  | { type: 'CancelJob'; data: { jobId: number; at: number } };

export type JobEvent =
  | { type: 'JobCreated'; data: JobFields }
  | { type: 'AttemptStarted'; data: AttemptAt & { logPath: string } }
  | { type: 'AttemptSucceeded'; data: Succeeded }
  | { type: 'AttemptFailed'; data: Failed & { final: boolean } }
  | { type: 'AttemptProgressed'; data: Progress }
  | { type: 'JobCancelled'; data: { jobId: number; at: number } };

export type JobState =
  | { status: 'absent' }
  | ({ status: JobStatus; attempts: Attempt[]; updatedAt: number } & JobFields);

export const jobStream = (jobId: number) => `job-${jobId}`;
export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

const existing = (state: JobState, jobId: number) => {
  if (state.status === 'absent') throw notFound('job', String(jobId));
  return state;
};

const runningAttempt = (state: Exclude<JobState, { status: 'absent' }>, attempt: number) => {
  const current = state.attempts.at(-1);
  if (state.status !== 'running' || !current || current.number !== attempt) {
    throw illegalState('job.no_running_attempt', `job ${state.jobId} has no running attempt ${attempt}`);
  }
  return current;
};

export const jobDecider: Decider<JobCommand, JobState, JobEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateJob':
        return state.status === 'absent' ? [{ type: 'JobCreated', data: command.data }] : [];
      case 'StartAttempt': {
        const job = existing(state, command.data.jobId);
        if (job.status !== 'pending' && job.status !== 'incomplete') {
          throw illegalState('job.not_startable', `job ${job.jobId} is ${job.status}`);
        }
        return [{ type: 'AttemptStarted', data: { ...command.data, attempt: job.attempts.length } }];
      }
      case 'SucceedAttempt':
        runningAttempt(existing(state, command.data.jobId), command.data.attempt);
        return [{ type: 'AttemptSucceeded', data: command.data }];
      case 'FailAttempt': {
        const job = existing(state, command.data.jobId);
        runningAttempt(job, command.data.attempt);
        return [
          { type: 'AttemptFailed', data: { ...command.data, final: job.attempts.length >= job.maxAttempts } },
        ];
      }
      case 'RecordProgress':
        // The heartbeat of a running attempt: it keeps the lease and shows the records and bytes so far.
        runningAttempt(existing(state, command.data.jobId), command.data.attempt);
        return [{ type: 'AttemptProgressed', data: command.data }];
      case 'CancelJob': {
        const job = existing(state, command.data.jobId);
        return TERMINAL.has(job.status) ? [] : [{ type: 'JobCancelled', data: command.data }];
      }
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    if (event.type === 'JobCreated')
      return { status: 'pending', attempts: [], updatedAt: event.data.createdAt, ...event.data };
    if (state.status === 'absent') return state;
    return applyToJob(state, event);
  },
};

const endAttempt = (
  attempts: Attempt[],
  status: Attempt['status'],
  d: { at: number; recordsSynced: number | null; bytesSynced: number | null },
  reason: string | null,
) =>
  attempts.map((a, i) =>
    i === attempts.length - 1
      ? {
          ...a,
          status,
          updatedAt: d.at,
          endedAt: d.at,
          failureReason: reason,
          // An attempt ended by its lease or a cancel reports no counts: keep the last heartbeat's.
          recordsSynced: d.recordsSynced ?? a.recordsSynced,
          bytesSynced: d.bytesSynced ?? a.bytesSynced,
        }
      : a,
  );

const applyToJob = (
  job: Exclude<JobState, { status: 'absent' }>,
  event: Exclude<JobEvent, { type: 'JobCreated' }>,
): JobState => {
  switch (event.type) {
    case 'AttemptStarted': {
      const attempt: Attempt = {
        number: event.data.attempt,
        status: 'running',
        createdAt: event.data.at,
        updatedAt: event.data.at,
        endedAt: null,
        logPath: event.data.logPath,
        failureReason: null,
        recordsSynced: null,
        bytesSynced: null,
      };
      return { ...job, status: 'running', updatedAt: event.data.at, attempts: [...job.attempts, attempt] };
    }
    case 'AttemptProgressed': {
      const d = event.data;
      const attempts = job.attempts.map((a, i) =>
        i === job.attempts.length - 1
          ? {
              ...a,
              updatedAt: d.at,
              recordsSynced: d.recordsSynced,
              bytesSynced: d.bytesSynced,
              ...(d.estimatedRecords != null ? { estimatedRecords: d.estimatedRecords } : {}),
            }
          : a,
      );
      return { ...job, updatedAt: d.at, attempts };
    }
    case 'AttemptSucceeded':
      return {
        ...job,
        status: 'succeeded',
        updatedAt: event.data.at,
        attempts: endAttempt(job.attempts, 'succeeded', event.data, null),
      };
    case 'AttemptFailed':
      return {
        ...job,
        status: event.data.final ? 'failed' : 'incomplete',
        updatedAt: event.data.at,
        attempts: endAttempt(job.attempts, 'failed', event.data, event.data.reason),
      };
    case 'JobCancelled': {
      const attempts =
        job.status === 'running'
          ? endAttempt(
              job.attempts,
              'failed',
              { at: event.data.at, recordsSynced: null, bytesSynced: null },
              'cancelled',
            )
          : job.attempts;
      return { ...job, status: 'cancelled', updatedAt: event.data.at, attempts };
    }
    default:
      return exhaustive(event);
  }
};
