import type { EventStore, EventSubscription, RecordedEvent } from '@ferry/event-store';

/** The most events one batch takes: the subscription waits while a full batch is handled. */
const MAX_BATCH = 1_000;

/**
 * `subscribeToAll`, but the events delivered in one turn of the event loop (a page read while catching up,
 * the appends of concurrent writers when live) reach `handle` together, in log order, batch after batch,
 * so a subscriber that writes can write a batch in one commit instead of one per event. A batch that fails
 * stops the subscription (as a failing handler stops `subscribeToAll`) and goes to `onError`; closing waits
 * for the batch being handled.
 */
export const subscribeInTurnBatches = (
  events: EventStore,
  fromPosition: number,
  handle: (batch: RecordedEvent[]) => Promise<void>,
  onError: (error: unknown) => void,
): EventSubscription => {
  let buffer: RecordedEvent[] = [];
  let flushing: Promise<void> | undefined;
  let failed = false;

  const flush = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (buffer.length > 0 && !failed) {
        const batch = buffer;
        buffer = [];
        await handle(batch);
      }
    } catch (error) {
      failed = true;
      buffer = [];
      void subscription.close();
      onError(error);
    } finally {
      flushing = undefined;
    }
  };

  /** Buffers the event; the subscription may deliver the next one at once unless a full batch is waiting. */
  const onEvent = (event: RecordedEvent): Promise<void> => {
    if (failed) return Promise.resolve();
    buffer.push(event);
    flushing ??= flush();
    return buffer.length >= MAX_BATCH ? flushing : Promise.resolve();
  };

  const subscription = events.subscribeToAll(fromPosition, onEvent, onError);
  return {
    close: async () => {
      await subscription.close();
      await flushing;
    },
  };
};
