import type { EventStore } from '@ferry/event-store';
import { masked } from '@ferry/history';
import type { ServiceHandlers } from '@ferry/rpc';
import type { AuditTrail } from './trail/projector.ts';

/** The audit service's answers: the trail (`AuditTrail.list`), and the log for the gateway's event stream. */
export const auditHandlers = (
  events: EventStore,
  trail: Pick<AuditTrail, 'list'>,
): ServiceHandlers<'audit'> => ({
  listAuditEntries: async (request) => ({ body: await trail.list(request) }),
  readEvents: async ({ after, limit }) => {
    const [found, head] = await Promise.all([
      events.readAll({ fromPosition: after, limit }),
      events.headPosition(),
    ]);
    // Secrets masked: an HTTP client that may read sees no sealed value either.
    return { body: { events: found.map((e) => ({ ...e, data: masked(e.data) as typeof e.data })), head } };
  },
});
