import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { probeStores, StreamStateCache, startProjector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import { createOperationClient, serveTypedOperations } from '@ferry/rpc';
import { connectorHandlers } from './handlers/connector-handlers.ts';
import type { JobsDeps } from './handlers/deps.ts';
import { jobQueryHandlers } from './handlers/job-queries.ts';
import { outcomeHandlers } from './sync/outcome.ts';
import { defaultSyncSettings, type SyncSettings } from './sync/settings.ts';
import { syncHandlers } from './sync/sync-handlers.ts';
import { startSupervisor } from './sync/supervisor.ts';
import { startScheduler } from './scheduler/index.ts';
import { jobsProjections } from './projections/projections.ts';

export interface JobsServiceOptions {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  logDir: string;
  connectorTimeoutMs?: number;
  /** How long calls to other services may take by default. */
  callTimeoutMs?: number;
  sync?: Partial<SyncSettings>;
  /** How often the scheduler looks for due syncs; 0 runs no scheduler in this process. */
  schedulerTickMs?: number;
  onError: (error: unknown) => void;
}

export interface JobsService {
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Jobs and attempts: connector jobs (spec, check, discover), syncs and resets with their retries and
 * leases, cancel, job queries, the spec cache and the connections' states.
 */
export const startJobsService = async (options: JobsServiceOptions): Promise<JobsService> => {
  const projector = await startProjector(options.events, options.reads, jobsProjections, options.onError);
  const deps: JobsDeps = {
    events: options.events,
    reads: options.reads,
    projector,
    call: createOperationClient(options.bus, options.callTimeoutMs),
    logDir: options.logDir,
    connectorTimeoutMs: options.connectorTimeoutMs ?? 60_000,
    sync: { ...defaultSyncSettings, ...options.sync },
    ledgerCache: new StreamStateCache(1),
  };
  const subscriptions = await serveTypedOperations(options.bus, 'jobs', {
    ...connectorHandlers(deps),
    ...jobQueryHandlers(deps),
    ...syncHandlers(deps, options.bus),
    ...outcomeHandlers(deps),
    checkJobsReadiness: async () => ({ body: await probeStores(deps) }),
  });
  const supervisor = startSupervisor(deps, options.onError);
  const tickMs = options.schedulerTickMs ?? 10_000;
  const scheduler =
    tickMs > 0
      ? startScheduler({ bus: options.bus, events: options.events, tickMs, onError: options.onError })
      : null;
  return {
    rebuildReadModels: () => projector.rebuild(),
    stop: async () => {
      await scheduler?.stop();
      await supervisor.stop();
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      await projector.stop();
    },
  };
};
