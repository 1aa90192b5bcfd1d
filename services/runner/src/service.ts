import type { Bus } from '@ferry/bus';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import { unavailable, type RequestOf } from '@ferry/contracts';
import { serveOperations } from '@ferry/rpc';
import { runConnectorCommand } from './connector-command.ts';

export interface RunnerService {
  stop(): Promise<void>;
}

/** Runs connector commands for the jobs service, in queue group `ferry-runner` so runners share the work. */
export const startRunnerService = async (options: {
  bus: Bus;
  runtime: ConnectorRuntime;
}): Promise<RunnerService> => {
  const subscriptions = await serveOperations(options.bus, 'runner', {
    runConnectorCommand: async (req: RequestOf<'runConnectorCommand'>) => ({
      body: await runConnectorCommand(options.runtime, req),
    }),
    runSyncAttempt: async () => {
      throw unavailable('this runner cannot run syncs yet');
    },
  });
  return { stop: async () => void (await Promise.all(subscriptions.map((s) => s.unsubscribe()))) };
};
