import type { EventStore, EventSubscription } from './port.ts';

/**
 * A store's open subscriptions: `subscribe` is its `subscribeToAll`, starting each with `start` and
 * forgetting it once closed; closing the store calls `closeAll`, which closes the rest (each waits for its
 * running handler, see `EventSubscription`).
 */
export function trackedSubscriptions(start: EventStore['subscribeToAll']) {
  const open = new Set<EventSubscription>();
  const subscribe: EventStore['subscribeToAll'] = (fromPosition, onEvent, onError) => {
    const subscription = start(fromPosition, onEvent, onError);
    open.add(subscription);
    return {
      async close() {
        open.delete(subscription);
        await subscription.close();
      },
    };
  };
  return {
    subscribe,
    async closeAll(): Promise<void> {
      await Promise.all([...open].map((subscription) => subscription.close()));
    },
  };
}
