import type { EventStore, EventSubscription, RecordedEvent } from '@ferry/event-store';

/** The most events one batch takes: the subscription waits while a full batch is handled. */
const MAX_BATCH = 1_000;

export interface BatchSubscription extends EventSubscription {
  /** Handles what is buffered now instead of when its linger ends. */
  hurry(): void;
}

/**
 * `subscribeToAll`, but the events delivered in one turn of the event loop (a page read while catching up,
 * the appends of concurrent writers when live) reach `handle` together, in log order, batch after batch,
 * so a subscriber that writes can write a batch in one commit instead of one per event. With `lingerMs`
 * (read when a batch starts) a batch also waits that long for more events, unless `hurry` cuts it short.
 * A batch that fails stops the subscription (as a failing handler stops `subscribeToAll`) and goes to
 * `onError`; closing handles what is buffered and waits for it.
 */
export const subscribeInTurnBatches = (
  events: EventStore,
  fromPosition: number,
  handle: (batch: RecordedEvent[]) => Promise<void>,
  onError: (error: unknown) => void,
  lingerMs: () => number = () => 0,
): BatchSubscription => {
  let buffer: RecordedEvent[] = [];
  let flushing: Promise<void> | undefined;
  let failed = false;
  let hurry = () => {};

  /** The next turn, or `lingerMs` later unless hurried. */
  const linger = () =>
    new Promise<void>((resolve) => {
      const ms = lingerMs();
      if (ms <= 0) return void setImmediate(resolve);
      const timer = setTimeout(() => hurry(), ms);
      hurry = () => {
        hurry = () => {};
        clearTimeout(timer);
        resolve();
      };
    });

  const flush = async () => {
    await linger();
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
    if (buffer.length < MAX_BATCH) return Promise.resolve();
    hurry();
    return flushing;
  };

  const subscription = events.subscribeToAll(fromPosition, onEvent, onError);
  return {
    hurry: () => hurry(),
    close: async () => {
      await subscription.close();
      hurry();
      await flushing;
    },
  };
};
