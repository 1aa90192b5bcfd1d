import type { Bus } from '@ferry/bus';
import { HEADER, principal } from '@ferry/contracts';
import type { EventStore } from '@ferry/event-store';
import { startProjector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import { contextFromHeaders, createOperationClient, serveTypedOperations } from '@ferry/rpc';
import { actorHandlers } from './handlers/actors.ts';
import { apiTokenHandlers } from './handlers/api-tokens.ts';
import { connectionHandlers } from './handlers/connections.ts';
import { definitionHandlers } from './handlers/definitions.ts';
import type { ConfigDeps } from './handlers/deps.ts';
import { healthHandlers } from './handlers/health.ts';
import { historyHandlers } from './history/handlers.ts';
import { seed, type BuiltInDefinition } from './handlers/seed.ts';
import { webBackendHandlers } from './handlers/web-backend.ts';
import { workspaceHandlers } from './handlers/workspaces.ts';
import { configProjections } from './projections/projections.ts';
import type { SecretSealer } from '@ferry/secrets';

export interface ConfigServiceOptions {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  sealer: SecretSealer;
  catalog: readonly BuiltInDefinition[];
  /** How long calls to other services may take: longer than a connector check, which it waits for. */
  callTimeoutMs?: number;
  customerId: string;
  debugInfo: () => Promise<Record<string, unknown>>;
  onError: (error: unknown) => void;
}

export interface ConfigService {
  /** Empties the read models and replays the log into them. */
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts projecting, seeds the first-start data, then answers the config operations on the bus. */
export const startConfigService = async (options: ConfigServiceOptions): Promise<ConfigService> => {
  const projector = await startProjector(options.events, options.reads, configProjections, options.onError);
  const deps: ConfigDeps = {
    events: options.events,
    reads: options.reads,
    projector,
    sealer: options.sealer,
    call: createOperationClient(options.bus, options.callTimeoutMs),
    debugInfo: options.debugInfo,
  };
  await seed(
    deps,
    contextFromHeaders({ [HEADER.actor]: principal.config }),
    options.customerId,
    options.catalog,
  );
  const subscriptions = await serveTypedOperations(options.bus, 'config', {
    ...workspaceHandlers(deps),
    ...definitionHandlers(deps),
    ...actorHandlers(deps),
    ...connectionHandlers(deps),
    ...webBackendHandlers(deps),
    ...healthHandlers(deps),
    ...apiTokenHandlers(deps),
    ...historyHandlers(deps),
  });
  return {
    rebuildReadModels: () => projector.rebuild(),
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      await projector.stop();
    },
  };
};
