import { DEADLINE_MS, illegalState, RUNNER_CANCEL_SUBJECT, type RequestOf } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { OperationContext } from '@ferry/nest-bus';
import { callOperation, headersFromContext } from '@ferry/rpc';
import { epochSeconds, write, type JobsDeps } from '../handlers/deps.ts';
import { jobById, jobInfo } from '../handlers/job-queries.ts';
import { createJob, noteInLog } from '../handlers/run-job.ts';
import { jobDecider, jobStream, TERMINAL } from '../job/job.ts';
import { dispatchAttempt } from './dispatch.ts';
import { releaseIfEnded } from '../ledger/ledger-stream.ts';

const POLL_MS = 250;

/** `Prefer: wait=<s>`: wait until the job ends or the time is up, as the 2020 server's blocking sync did. */
const awaitEnd = async (deps: JobsDeps, jobId: number, seconds: number | undefined) => {
  const deadline = Date.now() + (seconds ?? 0) * 1000;
  let job = await jobById(deps, jobId);
  while (!TERMINAL.has(job.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = await jobById(deps, jobId);
  }
  return job;
};

/**
 * Sync or reset a connection: one active job per connection, also under concurrent calls and across
 * replicas (the ledger decides); a repeated Idempotency-Key returns the first answer.
 */
const startConnectionJob = async (
  deps: JobsDeps,
  bus: Bus,
  kind: 'sync' | 'reset',
  connectionId: string,
  ctx: OperationContext,
) => {
  // With its ETag, the connection's revision: the job records the version it was made from.
  const { body: connection, etag } = await callOperation(
    bus,
    'getConnection',
    { connectionId },
    { headers: headersFromContext(ctx), deadlineMs: DEADLINE_MS.read },
  );
  if (connection.status !== 'active') {
    throw illegalState(
      'connection.not_active',
      `connection ${connectionId} is ${connection.status}: only active connections can ${kind}`,
    );
  }
  const configType = kind === 'sync' ? 'sync' : 'reset_connection';
  const key = ctx.idempotencyKey ? `${configType}:${ctx.idempotencyKey}` : null;
  const { jobId, created } = await createJob(
    deps,
    {
      configType,
      configId: connectionId,
      maxAttempts: deps.sync.maxAttempts,
      exclusive: true,
      idempotencyKey: key,
      ...(etag === undefined ? {} : { connectionVersion: etag + 1 }),
    },
    ctx,
  );
  if (created) {
    ctx.log.info({ jobId, connectionId, configType }, `${kind} job created`);
    await dispatchAttempt(deps, jobId, ctx);
  }
  return { body: await jobInfo(await awaitEnd(deps, jobId, ctx.preferWaitSeconds)) };
};

export const syncHandlers = (deps: JobsDeps, bus: Bus) => ({
  syncConnection: (req: RequestOf<'syncConnection'>, ctx: OperationContext) =>
    startConnectionJob(deps, bus, 'sync', req.connectionId, ctx),
  resetConnection: (req: RequestOf<'resetConnection'>, ctx: OperationContext) =>
    startConnectionJob(deps, bus, 'reset', req.connectionId, ctx),
  /** Stops the runner's connectors; data already committed stays; the job ends `cancelled`. */
  cancelJob: async (req: RequestOf<'cancelJob'>, ctx: OperationContext) => {
    await jobById(deps, req.id);
    await write(
      deps,
      jobStream(req.id),
      jobDecider,
      { type: 'CancelJob', data: { jobId: req.id, at: epochSeconds() } },
      ctx,
    );
    await bus.publish(RUNNER_CANCEL_SUBJECT, { jobId: req.id });
    const cancelled = await jobById(deps, req.id);
    const last = cancelled.attempts.at(-1);
    if (last) await noteInLog(deps, req.id, last.number, `job cancelled by ${ctx.actor}`);
    await releaseIfEnded(deps, req.id, ctx);
    ctx.log.info({ jobId: req.id }, 'job cancelled');
    return { body: await jobInfo(await jobById(deps, req.id)) };
  },
});
