import type { Bus } from '@ferry/bus';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import { RUNNER_CANCEL_SUBJECT, type RequestOf } from '@ferry/contracts';
import { createOperationClient, type RequestContext, serveTypedOperations } from '@ferry/rpc';
import type { SecretSealer } from '@ferry/secrets';
import { runConnectorCommand } from './connector-command.ts';
import type { ReportOptions } from './sync/report.ts';
import { runningAttempts } from './sync/running.ts';
import { secretValuesOf, unsealingRuntime } from './unsealing.ts';

export interface RunnerService {
  stop(): Promise<void>;
}

export interface RunnerOptions {
  bus: Bus;
  runtime: ConnectorRuntime;
  /** Opens the sealed secrets of the configurations it is sent: the config service's keys. */
  sealer: SecretSealer;
  /** A sync or reset attempt is stopped (and fails) after this long. Default: no limit. */
  syncTimeoutMs?: number;
  /** How long to keep trying to report an attempt's outcome. */
  report?: ReportOptions;
}

/**
 * Runs connector commands and sync attempts for the jobs service, in queue group `ferry-runner` so runners
 * share the work. A sync attempt is accepted at once and runs in the background; cancels reach every runner.
 */
export const startRunnerService = async (options: RunnerOptions): Promise<RunnerService> => {
  const { bus, sealer } = options;
  const runtime = unsealingRuntime(options.runtime, sealer);
  const attempts = runningAttempts({
    runtime,
    sealer,
    call: createOperationClient(bus),
    ...(options.syncTimeoutMs ? { syncTimeoutMs: options.syncTimeoutMs } : {}),
    ...(options.report ? { report: options.report } : {}),
  });
  const subscriptions = await serveTypedOperations(bus, 'runner', {
    runConnectorCommand: async (req: RequestOf<'runConnectorCommand'>) => ({
      body: await runConnectorCommand(runtime, req, secretValuesOf(sealer, [req.config])),
    }),
    runSyncAttempt: async (req: RequestOf<'runSyncAttempt'>, ctx: RequestContext) => {
      attempts.start(req, ctx);
      return { body: { accepted: true } };
    },
    pingRunner: async () => ({ body: { ready: true } }),
  });
  // No queue group: a cancel must reach the one runner, whichever it is, that runs the job.
  subscriptions.push(await bus.subscribe(RUNNER_CANCEL_SUBJECT, (payload) => attempts.cancel(payload)));
  return {
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      await attempts.stop();
    },
  };
};
