import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { createMetricsRegistry, type MetricsRegistry } from '@ferry/metrics';
import {
  applicationModule,
  BUS,
  EVENT_STORE,
  providedValues,
  READ_MODELS,
  READ_STORE,
  type ReadModels,
  startServiceApplication,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import { pino, type Logger } from 'pino';
import { JOBS_SETTINGS, type JobsSettings, jobsModule } from './module.ts';

export interface JobsServiceOptions extends JobsSettings {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  log?: Logger;
  metrics?: MetricsRegistry;
}

export interface JobsService {
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The jobs service on its own, given its ports as values (tests, tools): a Nest microservice of
 * `jobsModule`. Ferry's composition root (services/ferry) builds the same module with its providers.
 */
export const startJobsService = async (options: JobsServiceOptions): Promise<JobsService> => {
  const { bus, events, reads, log = pino({ level: 'silent' }), metrics, ...settings } = options;
  const ports = providedValues('JobsPorts', [
    [BUS, bus],
    [EVENT_STORE, events],
    [READ_STORE, reads],
    [JOBS_SETTINGS, settings],
  ]);
  const module = applicationModule('JobsApplication', [
    ports,
    jobsModule({ log, metrics: metrics ?? createMetricsRegistry() }),
  ]);
  const app = await startServiceApplication({ bus, service: 'jobs', log, module });
  return {
    rebuildReadModels: () => app.get<ReadModels>(READ_MODELS, { strict: false }).rebuild(),
    stop: () => app.close(),
  };
};
