import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { type Projector, probeStores, StreamStateCache, startProjector } from '@ferry/eventsourcing';
import type { MetricsRegistry } from '@ferry/metrics';
import {
  BUS,
  EVENT_STORE,
  type OperationContext,
  operationsModule,
  READ_MODELS,
  READ_STORE,
  stopsAtShutdown,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import { createOperationClient, type ServiceHandlers } from '@ferry/rpc';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { connectorHandlers } from './handlers/connector-handlers.ts';
import type { JobsDeps } from './handlers/deps.ts';
import { jobQueryHandlers } from './handlers/job-queries.ts';
import { syncActivityHandlers } from './handlers/sync-activity.ts';
import { jobsProjections } from './projections/projections.ts';
import { startScheduler } from './scheduler/index.ts';
import { outcomeHandlers } from './sync/outcome.ts';
import { defaultSyncSettings, type SyncSettings } from './sync/settings.ts';
import { syncHandlers } from './sync/sync-handlers.ts';
import { startSupervisor } from './sync/supervisor.ts';

/** What the jobs service is given besides its ports; the composition root provides it. */
export interface JobsSettings {
  /** Where attempt logs live, shared with the runners. */
  logDir: string;
  connectorTimeoutMs?: number;
  /** How long calls to other services may take by default. */
  callTimeoutMs?: number;
  sync?: Partial<SyncSettings>;
  /** How often the scheduler looks for due syncs; 0 runs no scheduler in this process. */
  schedulerTickMs?: number;
}
export const JOBS_SETTINGS = Symbol('ferry.jobs.settings');
const JOBS_DEPS = Symbol('ferry.jobs.deps');
const SUPERVISOR = Symbol('ferry.jobs.supervisor');
const SCHEDULER = Symbol('ferry.jobs.scheduler');

/** Every operation the table gives the jobs service, each of its types. */
export const jobsHandlers = (deps: JobsDeps, bus: Bus): ServiceHandlers<'jobs', OperationContext> => ({
  ...connectorHandlers(deps),
  ...jobQueryHandlers(deps),
  ...syncActivityHandlers(deps),
  ...syncHandlers(deps, bus),
  ...outcomeHandlers(deps),
  checkJobsReadiness: async () => ({ body: await probeStores(deps) }),
});

/**
 * Jobs and attempts as a Nest module: connector jobs (spec, check, discover), syncs and resets with their
 * retries and leases, cancel, job queries, the spec cache and the connections' states; the supervisor and
 * the scheduler run beside the operations and stop first, the projector of the read models last.
 * Injects BUS, EVENT_STORE, READ_STORE and JOBS_SETTINGS.
 */
export const jobsModule = (options: { log: Logger; metrics: MetricsRegistry }): DynamicModule => {
  const { log } = options;
  const onError = (error: unknown) => log.error({ err: error }, 'background failure');
  return operationsModule({
    service: 'jobs',
    log,
    metrics: options.metrics,
    handlers: { useFactory: jobsHandlers, inject: [JOBS_DEPS, BUS] },
    providers: [
      {
        provide: READ_MODELS,
        useFactory: (events: EventStore, reads: ReadStore) =>
          startProjector(events, reads, jobsProjections, onError),
        inject: [EVENT_STORE, READ_STORE],
      },
      stopsAtShutdown(READ_MODELS, 'last'),
      {
        provide: JOBS_DEPS,
        useFactory: (
          projector: Projector,
          events: EventStore,
          reads: ReadStore,
          bus: Bus,
          settings: JobsSettings,
        ): JobsDeps => ({
          events,
          reads,
          projector,
          call: createOperationClient(bus, settings.callTimeoutMs),
          logDir: settings.logDir,
          connectorTimeoutMs: settings.connectorTimeoutMs ?? 60_000,
          sync: { ...defaultSyncSettings, ...settings.sync },
          ledgerCache: new StreamStateCache(1),
        }),
        inject: [READ_MODELS, EVENT_STORE, READ_STORE, BUS, JOBS_SETTINGS],
      },
      {
        provide: SUPERVISOR,
        useFactory: (deps: JobsDeps) => startSupervisor(deps, onError),
        inject: [JOBS_DEPS],
      },
      stopsAtShutdown(SUPERVISOR, 'first'),
      {
        provide: SCHEDULER,
        useFactory: (bus: Bus, events: EventStore, settings: JobsSettings) => {
          const tickMs = settings.schedulerTickMs ?? 10_000;
          if (tickMs <= 0) return { stop: async () => undefined };
          const onWaiting = (reason: string) =>
            log.debug({ reason }, 'the scheduler waits for the config service');
          return startScheduler({ bus, events, tickMs, onError, onWaiting });
        },
        inject: [BUS, EVENT_STORE, JOBS_SETTINGS],
      },
      stopsAtShutdown(SCHEDULER, 'first'),
    ],
  });
};
