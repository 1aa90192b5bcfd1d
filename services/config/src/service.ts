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
  SECRET_SEALER,
  startServiceApplication,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import type { SecretSealer } from '@ferry/secrets';
import { pino, type Logger } from 'pino';
import { CONFIG_SETTINGS, type ConfigSettings, configModule } from './module.ts';

export interface ConfigServiceOptions extends ConfigSettings {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  sealer: SecretSealer;
  log?: Logger;
  metrics?: MetricsRegistry;
}

export interface ConfigService {
  /** Empties the read models and replays the log into them. */
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The config service on its own, given its ports as values (tests, tools): a Nest microservice of
 * `configModule`. Ferry's composition root (services/ferry) builds the same module with its providers.
 */
export const startConfigService = async (options: ConfigServiceOptions): Promise<ConfigService> => {
  const { bus, events, reads, sealer, log = pino({ level: 'silent' }), metrics, ...settings } = options;
  const ports = providedValues('ConfigPorts', [
    [BUS, bus],
    [EVENT_STORE, events],
    [READ_STORE, reads],
    [SECRET_SEALER, sealer],
    [CONFIG_SETTINGS, settings],
  ]);
  const module = applicationModule('ConfigApplication', [
    ports,
    configModule({ log, metrics: metrics ?? createMetricsRegistry() }),
  ]);
  const app = await startServiceApplication({ bus, service: 'config', log, module });
  return {
    rebuildReadModels: () => app.get<ReadModels>(READ_MODELS, { strict: false }).rebuild(),
    stop: () => app.close(),
  };
};
