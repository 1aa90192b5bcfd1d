import type { Bus, DurableEvents } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { masked, type ResourceModels } from '@ferry/history';
import type { ReadStore } from '@ferry/read-store';
import { type ServiceHandlers, serveTypedOperations } from '@ferry/rpc';
import { listAuditEntries } from './list/list.ts';
import { startEventRelay } from './relay.ts';
import { type AuditTrail, startAuditTrail } from './trail/projector.ts';

export interface AuditServiceOptions {
  bus: Bus;
  events: EventStore;
  reads: ReadStore;
  /** How each stream category's events read as versions of a resource (the config service's models). */
  models: ResourceModels;
  /** When the deployment has JetStream: the relay publishes through it, so every event is also stored there. */
  durable?: DurableEvents | undefined;
  onError: (error: unknown) => void;
}

export interface AuditService {
  /** Empties the audit trail and replays the log into it. */
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

/** How long `audit/list` waits for the trail to catch up with the log before it answers what it has. */
const CATCH_UP_MS = 5_000;

/**
 * The audit service's answers: the trail, and the log for the gateway's event stream. The trail is
 * projected after the write that a client just got its 200 for, so `audit/list` first waits until it
 * holds every event stored when the request came (read your writes, as for the other reads).
 */
export const auditHandlers = (
  events: EventStore,
  reads: ReadStore,
  trail: Pick<AuditTrail, 'waitFor'>,
): ServiceHandlers<'audit'> => ({
  listAuditEntries: async (request) => {
    await trail.waitFor(await events.headPosition(), CATCH_UP_MS).catch(() => undefined);
    return { body: await listAuditEntries(reads, request) };
  },
  readEvents: async ({ after, limit }) => {
    const [found, head] = await Promise.all([
      events.readAll({ fromPosition: after, limit }),
      events.headPosition(),
    ]);
    // Secrets masked: an HTTP client that may read sees no sealed value either.
    return { body: { events: found.map((e) => ({ ...e, data: masked(e.data) as typeof e.data })), head } };
  },
});

/** Projects the audit trail, relays every event to `ferry.events.>`, and answers the audit operations. */
export const startAuditService = async (options: AuditServiceOptions): Promise<AuditService> => {
  const { bus, events, reads, onError } = options;
  const trail = await startAuditTrail(events, reads, options.models, onError);
  const relay = await startEventRelay(events, reads, bus, onError, options.durable);
  const subscriptions = await serveTypedOperations(bus, 'audit', auditHandlers(events, reads, trail));
  return {
    rebuildReadModels: () => trail.rebuild(),
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.unsubscribe()));
      await relay.stop();
      await trail.stop();
    },
  };
};
