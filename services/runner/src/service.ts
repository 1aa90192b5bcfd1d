import type { Bus } from '@ferry/bus';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import { RUNNER_CANCEL_SUBJECT } from '@ferry/contracts';
import type { OperationContext } from '@ferry/nest-bus';
import { createOperationClient, type ServiceHandlers } from '@ferry/rpc';
import type { SecretSealer } from '@ferry/secrets';
import { runConnectorCommand } from './connector-command.ts';
import type { ReportOptions } from './sync/report.ts';
import { runningAttempts } from './sync/running.ts';
import { secretValuesOf, unsealingRuntime } from './unsealing.ts';

export interface RunnerOptions {
  bus: Bus;
  runtime: ConnectorRuntime;
  /** Opens the sealed secrets of the configurations it is sent: the config service's keys. */
  sealer: SecretSealer;
  /** A sync or reset attempt is stopped (and fails) after this long. Default: no limit. */
  syncTimeoutMs?: number;
  /** How long to keep trying to report an attempt's outcome. */
  report?: ReportOptions;
  /** What a spec, check or discover may print before it is stopped. Default 64 MiB. */
  commandOutputLimitBytes?: number;
  /** What each side of a sync may print besides records and states before it is stopped. Default 256 MiB. */
  syncLogLimitBytes?: number;
}

/** The runner's handlers and the attempts they start, which `stop()` ends. */
export interface RunnerWork {
  handlers: ServiceHandlers<'runner', OperationContext>;
  stop(): Promise<void>;
}

/**
 * Runs connector commands and sync attempts for the jobs service, in queue group `ferry-runner` so runners
 * share the work. A sync attempt is accepted at once and runs in the background; cancels reach every runner.
 */
export const startRunnerWork = async (options: RunnerOptions): Promise<RunnerWork> => {
  const { bus, sealer } = options;
  const runtime = unsealingRuntime(options.runtime, sealer);
  const attempts = runningAttempts({
    runtime,
    sealer,
    call: createOperationClient(bus),
    ...(options.syncTimeoutMs ? { syncTimeoutMs: options.syncTimeoutMs } : {}),
    ...(options.report ? { report: options.report } : {}),
    ...(options.syncLogLimitBytes ? { syncLogLimitBytes: options.syncLogLimitBytes } : {}),
  });
  const handlers: RunnerWork['handlers'] = {
    runConnectorCommand: async (req) => ({
      body: await runConnectorCommand(runtime, req, secretValuesOf(sealer, [req.config]), {
        ...(options.commandOutputLimitBytes ? { outputLimitBytes: options.commandOutputLimitBytes } : {}),
      }),
    }),
    runSyncAttempt: async (req, ctx) => {
      ctx.log.info({ jobId: req.jobId, attempt: req.attempt, kind: req.kind }, 'sync attempt accepted');
      attempts.start(req, ctx);
      return { body: { accepted: true } };
    },
    pingRunner: async () => ({ body: { ready: true } }),
  };
  // No queue group: a cancel must reach the one runner, whichever it is, that runs the job.
  const cancels = await bus.subscribe(RUNNER_CANCEL_SUBJECT, (payload) => attempts.cancel(payload));
  return {
    handlers,
    stop: async () => {
      await cancels.unsubscribe();
      await attempts.stop();
    },
  };
};
