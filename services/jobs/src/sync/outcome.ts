import { DomainError, type RequestOf } from '@ferry/contracts';
import { storedStateMessages } from '@ferry/protocol';
import type { RequestContext } from '@ferry/rpc';
import { connectionStateDecider, connectionStateStream } from '../connection-state/connection-state.ts';
import { write, epochSeconds, type JobsDeps } from '../handlers/deps.ts';
import { jobById } from '../handlers/job-queries.ts';
import { endAttempt } from '../handlers/run-job.ts';
import { jobDecider, jobStream } from '../job/job.ts';
import { releaseIfEnded } from '../ledger/ledger-stream.ts';
import { kindOf } from './dispatch.ts';

const isStale = (error: unknown) =>
  error instanceof DomainError && (error.category === 'illegal_state' || error.category === 'conflict');

export const outcomeHandlers = (deps: JobsDeps) => ({
  /** A heartbeat. `cancelled: true` tells the runner to stop: the job was cancelled or the attempt is over. */
  reportAttemptProgress: async (req: RequestOf<'reportAttemptProgress'>, ctx: RequestContext) => {
    try {
      await write(
        deps,
        jobStream(req.jobId),
        jobDecider,
        { type: 'RecordProgress', data: { ...req, at: epochSeconds() } },
        ctx,
      );
      return { body: { cancelled: false } };
    } catch (error) {
      if (isStale(error)) return { body: { cancelled: true } };
      throw error;
    }
  },
  /**
   * The end of an attempt. The state is saved before the attempt is marked succeeded: a crash in between
   * fails the attempt by its lease, and its retry starts from data the destination did commit. Per-stream
   * states (today's protocol) are saved from a failed attempt too: each is what the destination committed
   * for its stream, so a stream that failed leaves the others' progress kept.
   */
  reportAttemptOutcome: async (req: RequestOf<'reportAttemptOutcome'>, ctx: RequestContext) => {
    const job = await jobById(deps, req.jobId);
    const current = job.attempts.at(-1);
    if (job.status !== 'running' || current?.number !== req.attempt) return { body: { recorded: false } };
    if (req.succeeded || storedStateMessages(req.state) !== null)
      await saveState(deps, job.configId, req, kindOf(job.configType), ctx);
    try {
      await endAttempt(deps, req.jobId, req.attempt, { ...req, output: null }, ctx);
    } catch (error) {
      if (isStale(error)) return { body: { recorded: false } };
      throw error;
    }
    await releaseIfEnded(deps, req.jobId, ctx);
    return { body: { recorded: true } };
  },
});

const saveState = async (
  deps: JobsDeps,
  connectionId: string,
  { jobId, attempt, state }: RequestOf<'reportAttemptOutcome'>,
  kind: 'sync' | 'reset',
  ctx: RequestContext,
) => {
  const stream = connectionStateStream(connectionId);
  if (kind === 'reset')
    return write(
      deps,
      stream,
      connectionStateDecider,
      { type: 'ClearState', data: { connectionId, jobId } },
      ctx,
    );
  if (state)
    return write(
      deps,
      stream,
      connectionStateDecider,
      { type: 'SaveState', data: { connectionId, jobId, attempt, state } },
      ctx,
    );
};
