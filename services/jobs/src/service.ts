import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { startProjector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import { createOperationClient, serveOperations } from '@ferry/rpc';
import { connectorHandlers } from './handlers/connector-handlers.ts';
import type { JobsDeps } from './handlers/deps.ts';
import { jobQueryHandlers } from './handlers/job-queries.ts';
import { syncHandlers } from './handlers/sync-handlers.ts';
import { jobsProjections } from './projections/projections.ts';

export interface JobsServiceOptions {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  logDir: string;
  connectorTimeoutMs?: number;
  onError: (error: unknown) => void;
}

export interface JobsService {
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/** Jobs and attempts: connector jobs (spec, check, discover), job queries, the spec cache. */
export const startJobsService = async (options: JobsServiceOptions): Promise<JobsService> => {
  const projector = await startProjector(options.events, options.reads, jobsProjections, options.onError);
  const deps: JobsDeps = {
    events: options.events,
    reads: options.reads,
    projector,
    call: createOperationClient(options.bus),
    logDir: options.logDir,
    connectorTimeoutMs: options.connectorTimeoutMs ?? 60_000,
  };
  const subscriptions = await serveOperations(options.bus, 'jobs', {
    ...connectorHandlers(deps),
    ...jobQueryHandlers(deps),
    ...syncHandlers(),
  });
  return {
    rebuildReadModels: () => projector.rebuild(),
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      await projector.stop();
    },
  };
};
