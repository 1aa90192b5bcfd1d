import { DomainError, HEADER } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { handleCommand, type CommandContext } from '@ferry/eventsourcing';
import { callOperation, headersFromContext, type OperationClient, type RequestContext } from '@ferry/rpc';
import { type Due, due, type JobSummary, type ScheduledConnection } from './due.ts';
import {
  scheduleDecider,
  scheduleStream,
  type ScheduleCommand,
  type SkipReason,
} from './schedule-decider.ts';

export interface SchedulerDeps {
  bus: Bus;
  events: EventStore;
  call: OperationClient;
  onError: (error: unknown) => void;
  /** Skips this process saw recorded: an unchanged skip is not read back from the store on every tick. */
  skipsSeen: Set<string>;
}

/** Shorter than FIRE_CLAIM_TIMEOUT_SECONDS, so a claim is only taken over once its call has ended. */
const SYNC_REQUEST_TIMEOUT_MS = 30_000;

const commandContext = (ctx: RequestContext): CommandContext => ({
  actor: ctx.actor,
  correlationId: ctx.correlationId,
  causationId: null,
  now: ctx.now,
});

const isConflict = (error: unknown) => error instanceof DomainError && error.category === 'conflict';

/** Appends a decision; false when it was already decided, or another scheduler appended first. */
const claim = async (deps: SchedulerDeps, command: ScheduleCommand, ctx: RequestContext) => {
  const stream = scheduleStream(command.data.connectionId);
  try {
    const result = await handleCommand(deps.events, stream, scheduleDecider, command, commandContext(ctx));
    return result.appended > 0;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
};

/** Records the outcome of our own fire: a concurrent append (another due time) only means read again. */
const recordOutcome = async (deps: SchedulerDeps, command: ScheduleCommand, ctx: RequestContext) => {
  const stream = scheduleStream(command.data.connectionId);
  for (let attempt = 1; ; attempt++) {
    try {
      await handleCommand(deps.events, stream, scheduleDecider, command, commandContext(ctx));
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 3) throw error;
    }
  }
};

const jobsOf = async (deps: SchedulerDeps, connectionId: string, ctx: RequestContext) => {
  const lists = await Promise.all(
    (['sync', 'reset_connection'] as const).map((configType) =>
      deps.call('listJobsFor', { configType, configId: connectionId }, ctx),
    ),
  );
  return lists.flatMap((list) => list.jobs.map(({ job }): JobSummary => job));
};

/**
 * Asks the jobs service for the sync. The idempotency key makes a repeated request for the same due time
 * (a retry after a timeout whose job was created after all) answer the job of the first one.
 */
const requestSync = async (deps: SchedulerDeps, connectionId: string, dueAt: number, ctx: RequestContext) => {
  const headers = {
    ...headersFromContext(ctx),
    [HEADER.idempotencyKey]: `scheduled-sync:${connectionId}:${dueAt}`,
  };
  const options = { headers, deadlineMs: SYNC_REQUEST_TIMEOUT_MS };
  return (await callOperation(deps.bus, 'syncConnection', { connectionId }, options)).body;
};

/** What a fire came to: a sync started, a failed request, or another scheduler had claimed it. */
export type FireOutcome = 'started' | 'failed' | 'not_claimed';

/** Claim first, then call: of several schedulers only the one whose claim was appended asks for the sync. */
const fire = async (
  deps: SchedulerDeps,
  connectionId: string,
  dueAt: number,
  ctx: RequestContext,
): Promise<FireOutcome> => {
  const at = Math.floor(ctx.now.getTime() / 1000);
  const decision = { connectionId, decision: 'fire' as const, dueAt, at };
  if (!(await claim(deps, { type: 'RecordDecision', data: decision }, ctx))) return 'not_claimed';
  const outcome = await requestSync(deps, connectionId, dueAt, ctx).then(
    (info) => ({ jobId: info.job.id }),
    (error: unknown) => ({ error }),
  );
  if ('jobId' in outcome) {
    await recordOutcome(
      deps,
      { type: 'RecordFiredJob', data: { connectionId, dueAt, jobId: outcome.jobId } },
      ctx,
    );
    return 'started';
  }
  const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  await recordOutcome(deps, { type: 'RecordFireFailure', data: { connectionId, dueAt, reason, at } }, ctx);
  deps.onError(outcome.error);
  return 'failed';
};

const skip = async (
  deps: SchedulerDeps,
  connectionId: string,
  dueAt: number,
  reason: SkipReason,
  ctx: RequestContext,
) => {
  const key = `${connectionId}:${dueAt}:${reason}`;
  if (deps.skipsSeen.has(key)) return;
  const at = Math.floor(ctx.now.getTime() / 1000);
  await claim(
    deps,
    { type: 'RecordDecision', data: { connectionId, decision: 'skip', reason, dueAt, at } },
    ctx,
  );
  // Bounded: forgetting only costs a read that finds the skip already recorded.
  if (deps.skipsSeen.size > 10_000) deps.skipsSeen.clear();
  deps.skipsSeen.add(key);
};

/** What looking at a connection found: the decision, its jobs, and for a fire what came of it. */
export interface Looked {
  decision: Due;
  jobs: JobSummary[];
  fired?: FireOutcome;
}

/** One connection, when it is due: read its jobs, decide, record the decision (and fire the sync). */
export const scheduleConnection = async (
  deps: SchedulerDeps,
  connection: ScheduledConnection,
  ctx: RequestContext,
): Promise<Looked> => {
  const jobs = await jobsOf(deps, connection.connectionId, ctx);
  const decision = due(connection, jobs, Math.floor(ctx.now.getTime() / 1000));
  if (decision.kind === 'fire') {
    return { decision, jobs, fired: await fire(deps, connection.connectionId, decision.dueAt, ctx) };
  }
  if (decision.kind === 'skip')
    await skip(deps, connection.connectionId, decision.dueAt, decision.reason, ctx);
  return { decision, jobs };
};
