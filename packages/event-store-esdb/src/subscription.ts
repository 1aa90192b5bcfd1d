import { type EventStoreDBClient, excludeSystemEvents } from '@eventstore/db-client';
import { reportSubscriptionError, type EventSubscription, type RecordedEvent } from '@ferry/event-store';
import { isOurs, readPosition, toRecorded } from './mapping.ts';

/**
 * A catch-up subscription to `$all` without the server's own events. Iterating the subscription pulls one
 * event at a time, so the next one is not delivered before the handler has settled. A failure (handler
 * or connection) ends it: the caller resumes from its own checkpoint.
 */
export function subscribeToOurs(
  client: EventStoreDBClient,
  fromPosition: number,
  onEvent: (event: RecordedEvent) => Promise<void>,
  onError: ((error: unknown) => void) | undefined,
): EventSubscription {
  const subscription = client.subscribeToAll({
    fromPosition: readPosition(fromPosition),
    filter: excludeSystemEvents(),
  });
  let closing = false;
  const deliver = async () => {
    for await (const resolved of subscription) {
      if (closing) return;
      if (!resolved.event || !isOurs(resolved.event)) continue;
      const event = toRecorded(resolved.event);
      // The server starts after `fromPosition`; the check only guards the start position itself.
      if (event.position > fromPosition) await onEvent(event);
    }
  };
  const done = deliver().catch(async (error: unknown) => {
    if (closing) return;
    closing = true;
    reportSubscriptionError(error, onError);
    // The stream may already be torn down by the failure; either way nothing more is delivered.
    await subscription.unsubscribe().catch(() => undefined);
  });
  return {
    async close() {
      closing = true;
      await subscription.unsubscribe();
      await done;
    },
  };
}
