import { DomainError, illegalState } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';
import type { JobsDeps } from '../handlers/deps.ts';
import { jobById } from '../handlers/job-queries.ts';
import { endAttempt, startAttempt } from '../handlers/run-job.ts';
import { COLLECTION, type ConnectionStateDoc } from '../projections/projections.ts';
import { configuredCatalog } from './catalog.ts';

const runnerAnswers = async (deps: JobsDeps, ctx: RequestContext) => {
  try {
    return (await deps.call('pingRunner', {}, ctx, { timeoutMs: 2_000 })).ready;
  } catch (error) {
    if (error instanceof DomainError && (error.category === 'unavailable' || error.category === 'timeout'))
      return false;
    throw error;
  }
};

export type SyncKind = 'sync' | 'reset';
export const kindOf = (configType: string): SyncKind =>
  configType === 'reset_connection' ? 'reset' : 'sync';

/** Everything a runner needs for one attempt: the connection's catalog, both connectors, the last state. */
const prepare = async (deps: JobsDeps, connectionId: string, kind: SyncKind, ctx: RequestContext) => {
  const connection = await deps.call('getConnection', { connectionId }, ctx);
  if (connection.status !== 'active' && kind === 'sync')
    throw illegalState('connection.not_active', `connection ${connectionId} is ${connection.status}`);
  const [source, destination] = await Promise.all([
    deps.call('getActorConfiguration', { kind: 'source', actorId: connection.sourceId }, ctx),
    deps.call('getActorConfiguration', { kind: 'destination', actorId: connection.destinationId }, ctx),
  ]);
  const saved = await deps.reads.get<ConnectionStateDoc>(COLLECTION.states, connectionId);
  // Secrets stay sealed: the runner opens them.
  const connector = (a: typeof source) => ({
    image: `${a.dockerRepository}:${a.dockerImageTag}`,
    config: a.configuration,
    actorId: a.actorId,
  });
  const namespacing =
    connection.namespaceDefinition || connection.prefix
      ? {
          definition: connection.namespaceDefinition ?? 'source',
          format: connection.namespaceFormat ?? null,
          prefix: connection.prefix ?? '',
        }
      : null;
  return {
    source: kind === 'reset' ? null : connector(source),
    destination: connector(destination),
    catalog: configuredCatalog(connection, kind),
    state: kind === 'reset' ? null : (saved?.state ?? null),
    ...(namespacing ? { namespacing } : {}),
  };
};

/**
 * Starts the next attempt of a pending or incomplete sync/reset job and hands it to a runner, once one
 * answers. Another replica starting the same attempt first makes ours a conflict, which we leave to it.
 * Anything that keeps a started attempt from reaching a runner fails it at once, so it is retried, never
 * stuck.
 */
export const dispatchAttempt = async (deps: JobsDeps, jobId: number, ctx: RequestContext): Promise<void> => {
  const job = await jobById(deps, jobId);
  if (job.status !== 'pending' && job.status !== 'incomplete') return;
  // No runner, no attempt: the job waits (pending or incomplete) and the supervisor offers it again.
  if (!(await runnerAnswers(deps, ctx))) return;
  let started: { attempt: number; logPath: string };
  try {
    started = await startAttempt(deps, jobId, ctx);
  } catch (error) {
    if (error instanceof DomainError && (error.category === 'conflict' || error.category === 'illegal_state'))
      return;
    throw error;
  }
  const kind = kindOf(job.configType);
  try {
    const prepared = await prepare(deps, job.configId, kind, ctx);
    const request = {
      jobId,
      attempt: started.attempt,
      kind,
      connectionId: job.configId,
      ...prepared,
      logPath: started.logPath,
      heartbeatIntervalMs: deps.sync.heartbeatIntervalMs,
    };
    const answer = await deps.call('runSyncAttempt', request, ctx, { timeoutMs: 10_000 });
    if (!answer.accepted) throw new Error('the runner refused the attempt');
  } catch (error) {
    const reason = `could not start the attempt: ${(error as Error).message}`;
    await endAttempt(
      deps,
      jobId,
      started.attempt,
      { succeeded: false, failureReason: reason, output: null },
      ctx,
    ).catch(() => undefined);
  }
};
