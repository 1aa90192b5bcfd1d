import type { Bus } from '@ferry/bus';
import { HEADER, principal } from '@ferry/contracts';
import type { EventStore } from '@ferry/event-store';
import { type Projector, startProjector } from '@ferry/eventsourcing';
import type { MetricsRegistry } from '@ferry/metrics';
import {
  BUS,
  EVENT_STORE,
  type OperationContext,
  operationsModule,
  READ_MODELS,
  READ_STORE,
  SECRET_SEALER,
  stopsAtShutdown,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import { contextFromHeaders, createOperationClient, type ServiceHandlers } from '@ferry/rpc';
import type { SecretSealer } from '@ferry/secrets';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { actorHandlers } from './handlers/actors.ts';
import { apiTokenHandlers } from './handlers/api-tokens.ts';
import { connectionHandlers } from './handlers/connections.ts';
import { definitionHandlers } from './handlers/definitions.ts';
import type { ConfigDeps } from './handlers/deps.ts';
import { healthHandlers } from './handlers/health.ts';
import { type BuiltInDefinition, seed } from './handlers/seed.ts';
import { webBackendHandlers } from './handlers/web-backend.ts';
import { workspaceHandlers } from './handlers/workspaces.ts';
import { historyHandlers } from './history/handlers.ts';
import { configProjections } from './projections/projections.ts';

/** What the config service is given besides its ports; the composition root provides it. */
export interface ConfigSettings {
  catalog: readonly BuiltInDefinition[];
  /** How long calls to other services may take: longer than a connector check, which it waits for. */
  callTimeoutMs?: number;
  customerId: string;
  debugInfo: () => Promise<Record<string, unknown>>;
}
export const CONFIG_SETTINGS = Symbol('ferry.config.settings');
const CONFIG_DEPS = Symbol('ferry.config.deps');

/** Every operation the table gives the config service, each of its types. */
export const configHandlers = (deps: ConfigDeps): ServiceHandlers<'config', OperationContext> => ({
  ...workspaceHandlers(deps),
  ...definitionHandlers(deps),
  ...actorHandlers(deps),
  ...connectionHandlers(deps),
  ...webBackendHandlers(deps),
  ...healthHandlers(deps),
  ...apiTokenHandlers(deps),
  ...historyHandlers(deps),
});

/**
 * The config service as a Nest module: the projector of its read models (stopped last), its handlers'
 * dependencies, seeded with the first-start data before the first message is taken, and its operations
 * on the bus. Injects BUS, EVENT_STORE, READ_STORE, SECRET_SEALER and CONFIG_SETTINGS.
 */
export const configModule = (options: { log: Logger; metrics: MetricsRegistry }): DynamicModule => {
  const onError = (error: unknown) => options.log.error({ err: error }, 'background failure');
  return operationsModule({
    service: 'config',
    log: options.log,
    metrics: options.metrics,
    handlers: { useFactory: configHandlers, inject: [CONFIG_DEPS] },
    providers: [
      {
        provide: READ_MODELS,
        useFactory: (events: EventStore, reads: ReadStore) =>
          startProjector(events, reads, configProjections, onError),
        inject: [EVENT_STORE, READ_STORE],
      },
      stopsAtShutdown(READ_MODELS, 'last'),
      {
        provide: CONFIG_DEPS,
        useFactory: async (
          projector: Projector,
          events: EventStore,
          reads: ReadStore,
          sealer: SecretSealer,
          bus: Bus,
          settings: ConfigSettings,
        ) => {
          const deps: ConfigDeps = {
            events,
            reads,
            projector,
            sealer,
            call: createOperationClient(bus, settings.callTimeoutMs),
            debugInfo: settings.debugInfo,
          };
          const ctx = contextFromHeaders({ [HEADER.actor]: principal.config });
          await seed(deps, ctx, settings.customerId, settings.catalog);
          return deps;
        },
        inject: [READ_MODELS, EVENT_STORE, READ_STORE, SECRET_SEALER, BUS, CONFIG_SETTINGS],
      },
    ],
  });
};
