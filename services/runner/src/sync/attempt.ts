import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { SyncAttemptRequest } from '@ferry/contracts';
import type { OperationClient, RequestContext } from '@ferry/rpc';
import type { SecretSealer } from '@ferry/secrets';
import { type AttemptLog, openAttemptLog } from '../attempt-log.ts';
import { secretValuesOf } from '../unsealing.ts';
import type { Progress } from './forward.ts';
import { type ConnectorConfigUpdate, storeConnectorConfigs } from './connector-config.ts';
import { runSyncPipeline, type SyncHooks, type SyncResult } from './pipeline.ts';
import { type ReportOptions, reportOutcome } from './report.ts';

/** A heartbeat may take longer than the interval between beats: the next one simply waits. */
const MIN_CALL_TIMEOUT_MS = 5000;

export interface AttemptDeps {
  /** Unseals each connector's configuration as it starts (unsealingRuntime). */
  runtime: ConnectorRuntime;
  /** For the secret values to scrub from the log and the outcome. */
  sealer: SecretSealer;
  call: OperationClient;
  /** An attempt is stopped (and fails) after this long. Default: no limit. */
  syncTimeoutMs?: number;
  report?: ReportOptions;
  /** What each side of a sync may print besides records and states. Default 256 MiB. */
  syncLogLimitBytes?: number;
}

/**
 * Reports progress every `heartbeatIntervalMs` until stopped: the heartbeat that keeps the attempt's lease.
 * An answer `cancelled: true` (job cancelled, or the attempt is already over) aborts the attempt. A failed
 * report is logged and retried on the next beat; the jobs service fails the attempt if beats stop for long.
 */
function heartbeat(
  deps: AttemptDeps,
  ctx: RequestContext,
  request: SyncAttemptRequest,
  progress: () => Progress,
  attempt: AbortController,
  log: AttemptLog,
) {
  const done = new AbortController();
  const beat = async () => {
    const body = { jobId: request.jobId, attempt: request.attempt, ...progress() };
    const ack = await deps.call('reportAttemptProgress', body, ctx, {
      timeoutMs: Math.max(request.heartbeatIntervalMs, MIN_CALL_TIMEOUT_MS),
    });
    if (ack.cancelled) attempt.abort('cancelled');
  };
  const beating = (async () => {
    while (await sleep(request.heartbeatIntervalMs, true, { signal: done.signal }).catch(() => false))
      await beat().catch((error: Error) => log.write('ferry', `progress report failed: ${error.message}`));
  })();
  return async () => {
    done.abort();
    await beating;
  };
}

const discardingLog: AttemptLog = { write: () => {}, scrub: (text) => text, close: async () => {} };

/** The pipeline with heartbeats while it runs; the result is what the attempt reports. */
async function syncWithHeartbeat(
  deps: AttemptDeps,
  ctx: RequestContext,
  request: SyncAttemptRequest,
  attempt: AbortController,
  log: AttemptLog,
): Promise<SyncResult> {
  let progress: Progress = { recordsSynced: 0, bytesSynced: 0 };
  const configs: ConnectorConfigUpdate[] = [];
  const previous = { source: request.source, destination: request.destination };
  const stopBeating = heartbeat(deps, ctx, request, () => progress, attempt, log);
  const hooks: SyncHooks = {
    signal: attempt.signal,
    log,
    onProgress: (p) => {
      progress = p;
    },
    ...(deps.syncTimeoutMs ? { timeoutMs: deps.syncTimeoutMs } : {}),
    ...(deps.syncLogLimitBytes ? { logLimitBytes: deps.syncLogLimitBytes } : {}),
    onConnectorConfig: (kind, config) => {
      const stored = previous[kind];
      if (stored) configs.push({ kind, actorId: stored.actorId, config, previous: stored.config });
    },
  };
  const result = await runSyncPipeline(deps.runtime, request, hooks);
  await stopBeating();
  await storeConnectorConfigs(configs, deps, ctx, log);
  return result;
}

const logFailure = (error: unknown): SyncResult => ({
  succeeded: false,
  failureReason: `cannot open the attempt log: ${(error as Error).message}`,
  recordsSynced: 0,
  bytesSynced: 0,
  state: null,
});

/**
 * Runs one attempt to its end: the pipeline with heartbeats while it runs, then the outcome report. The
 * attempt log gets both connectors' output; it and the failure reason are scrubbed of the secrets of both.
 * Never rejects.
 */
export async function runAttempt(
  deps: AttemptDeps,
  ctx: RequestContext,
  request: SyncAttemptRequest,
  attempt: AbortController,
): Promise<void> {
  const secrets = secretValuesOf(deps.sealer, [request.source?.config, request.destination.config]);
  let log: AttemptLog = discardingLog;
  let result: SyncResult;
  try {
    log = openAttemptLog(request.logPath, secrets);
    result = await syncWithHeartbeat(deps, ctx, request, attempt, log);
  } catch (error) {
    result = logFailure(error); // the pipeline never rejects: only opening the log can
  }
  const failureReason = result.failureReason === null ? null : log.scrub(result.failureReason);
  const outcome = { jobId: request.jobId, attempt: request.attempt, ...result, failureReason };
  await reportOutcome(deps.call, ctx, outcome, log, deps.report);
  await log.close();
}
