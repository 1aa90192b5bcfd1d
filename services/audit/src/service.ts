import type { EventStore } from '@ferry/event-store';
import { masked } from '@ferry/history';
import type { ReadStore } from '@ferry/read-store';
import type { ServiceHandlers } from '@ferry/rpc';
import { listAuditEntries } from './list/list.ts';
import type { AuditTrail } from './trail/projector.ts';

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
