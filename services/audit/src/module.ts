import type { Bus, DurableEvents } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import type { ResourceModels } from '@ferry/history';
import { createMetricsRegistry, type MetricsRegistry } from '@ferry/metrics';
import {
  applicationModule,
  BUS,
  EVENT_STORE,
  operationsModule,
  providedValues,
  READ_MODELS,
  READ_STORE,
  type ReadModels,
  startServiceApplication,
  stopsAtShutdown,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import type { DynamicModule } from '@nestjs/common';
import { type Logger, pino } from 'pino';
import { startEventRelay } from './relay.ts';
import { auditHandlers } from './service.ts';
import { type AuditTrail, startAuditTrail } from './trail/projector.ts';

/** What the audit service is given besides its ports; the composition root provides it. */
export interface AuditSettings {
  /** How each stream category's events read as versions of a resource (the config service's models). */
  models: ResourceModels;
  /** When the deployment has JetStream: the relay publishes through it, so every event is also stored there. */
  durable?: DurableEvents | undefined;
}
export const AUDIT_SETTINGS = Symbol('ferry.audit.settings');
const RELAY = Symbol('ferry.audit.relay');

/**
 * The audit service as a Nest module: the trail projected from the log and the relay of every event to
 * `ferry.events.>` run as providers, started before the first message and stopped after the last; its
 * operations answer from the trail and the log. Injects BUS, EVENT_STORE, READ_STORE and AUDIT_SETTINGS.
 */
export const auditModule = (options: { log: Logger; metrics: MetricsRegistry }): DynamicModule => {
  const onError = (error: unknown) => options.log.error({ err: error }, 'background failure');
  return operationsModule({
    service: 'audit',
    log: options.log,
    metrics: options.metrics,
    handlers: {
      useFactory: (events: EventStore, reads: ReadStore, trail: AuditTrail) =>
        auditHandlers(events, reads, trail),
      inject: [EVENT_STORE, READ_STORE, READ_MODELS],
    },
    providers: [
      {
        provide: READ_MODELS,
        useFactory: (events: EventStore, reads: ReadStore, settings: AuditSettings) =>
          startAuditTrail(events, reads, settings.models, onError),
        inject: [EVENT_STORE, READ_STORE, AUDIT_SETTINGS],
      },
      stopsAtShutdown(READ_MODELS, 'last'),
      {
        provide: RELAY,
        useFactory: (events: EventStore, reads: ReadStore, bus: Bus, settings: AuditSettings) =>
          startEventRelay(events, reads, bus, onError, settings.durable),
        inject: [EVENT_STORE, READ_STORE, BUS, AUDIT_SETTINGS],
      },
      stopsAtShutdown(RELAY, 'first'),
    ],
  });
};

export interface AuditServiceOptions extends AuditSettings {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  log?: Logger;
  metrics?: MetricsRegistry;
}

export interface AuditService {
  /** Empties the audit trail and replays the log into it. */
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The audit service on its own, given its ports as values (tests, tools): a Nest microservice of
 * `auditModule`. Ferry's composition root (services/ferry) builds the same module with its providers.
 */
export const startAuditService = async (options: AuditServiceOptions): Promise<AuditService> => {
  const { bus, events, reads, log = pino({ level: 'silent' }), metrics, ...settings } = options;
  const ports = providedValues('AuditPorts', [
    [BUS, bus],
    [EVENT_STORE, events],
    [READ_STORE, reads],
    [AUDIT_SETTINGS, settings],
  ]);
  const module = applicationModule('AuditApplication', [
    ports,
    auditModule({ log, metrics: metrics ?? createMetricsRegistry() }),
  ]);
  const app = await startServiceApplication({ bus, service: 'audit', log, module });
  return {
    rebuildReadModels: () => app.get<ReadModels>(READ_MODELS, { strict: false }).rebuild(),
    stop: () => app.close(),
  };
};
