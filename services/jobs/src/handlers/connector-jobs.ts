import { DomainError, type JobConfigType } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';
import { specCacheDecider, specStream } from '../spec-cache/spec-cache.ts';
import { COLLECTION, type SpecDoc } from '../projections/projections.ts';
import { write, type JobsDeps } from './deps.ts';
import { createJob, endAttempt, startAttempt, type AttemptOutcome } from './run-job.ts';

export interface ConnectorJob {
  configType: JobConfigType;
  configId: string;
  image: string;
  command: 'spec' | 'check' | 'discover';
  /** Secrets sealed: only the runner opens them. */
  config: Record<string, unknown> | null;
}

/**
 * Runs one connector command as a job with a single attempt, synchronously: the caller (an API request)
 * waits for it. A runner that does not answer fails the attempt, so no job is left running.
 */
export const runConnectorJob = async (deps: JobsDeps, job: ConnectorJob, ctx: RequestContext) => {
  const { jobId } = await createJob(
    deps,
    { configType: job.configType, configId: job.configId, maxAttempts: 1 },
    ctx,
  );
  const { attempt, logPath } = await startAttempt(deps, jobId, ctx);
  const request = {
    jobId,
    attempt,
    image: job.image,
    command: job.command,
    config: job.config,
    logPath,
    timeoutMs: deps.connectorTimeoutMs,
  };
  let outcome: AttemptOutcome;
  try {
    outcome = await deps.call('runConnectorCommand', request, ctx, {
      timeoutMs: deps.connectorTimeoutMs + 5_000,
    });
  } catch (error) {
    outcome = { succeeded: false, failureReason: `runner: ${(error as Error).message}`, output: null };
  }
  await endAttempt(deps, jobId, attempt, outcome, ctx);
  return { jobId, ...outcome };
};

/** The spec of an image, from the cache or by running `spec` as a get_spec job; 422 when it does not answer. */
export const specOfImage = async (deps: JobsDeps, image: string, ctx: RequestContext): Promise<SpecDoc> => {
  const cached = await deps.reads.get<SpecDoc>(COLLECTION.specs, image);
  if (cached) return cached;
  const result = await runConnectorJob(
    deps,
    { configType: 'get_spec', configId: image, image, command: 'spec', config: null },
    ctx,
  );
  const spec = result.output?.connectionSpecification;
  if (!result.succeeded || typeof spec !== 'object' || spec === null) {
    throw new DomainError({
      code: 'connector.no_spec',
      category: result.failureReason?.startsWith('runtime.docker_unavailable') ? 'unavailable' : 'validation',
      message: `${image} did not answer spec: ${result.failureReason ?? 'no SPEC message'} (job ${result.jobId})`,
      validationErrors: [
        { propertyPath: 'dockerImageTag', message: `${image} did not answer spec`, invalidValue: image },
      ],
    });
  }
  const data = {
    image,
    connectionSpecification: spec as Record<string, unknown>,
    documentationUrl: (result.output?.documentationUrl as string | undefined) ?? null,
    jobId: result.jobId,
  };
  await write(deps, specStream(image), specCacheDecider, { type: 'CacheSpec', data }, ctx);
  return {
    id: image,
    connectionSpecification: data.connectionSpecification,
    documentationUrl: data.documentationUrl,
  };
};
