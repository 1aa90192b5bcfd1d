import type { EventSubscription, RecordedEvent } from './port.ts';
import { reportSubscriptionError } from './subscription-errors.ts';
import { trackedSubscriptions } from './tracked-subscriptions.ts';
import type { Wakeup } from './wakeup.ts';

const batchSize = 256;

/** What a store that can only be polled gives `pollingSubscription`. */
export interface PollingSource {
  /** Up to `limit` events after `fromPosition`, in order, none of them skipped past later (see port.ts). */
  read(fromPosition: number, limit: number): RecordedEvent[] | Promise<RecordedEvent[]>;
  /** Rung on every append the store hears of: its own, or another process's through a notification. */
  wakeup: Wakeup;
  /** The fallback poll: how soon an append nobody rang the wakeup for is seen. */
  pollIntervalMs: number;
}

/**
 * Reads batches after the last delivered position and hands them to `onEvent` one at a time, awaiting
 * each. When the log is exhausted it sleeps until the wakeup rings or the poll interval passes.
 * A failure (handler or read) ends the subscription: the caller resumes from its own checkpoint.
 */
export function pollingSubscription(
  source: PollingSource,
  fromPosition: number,
  onEvent: (event: RecordedEvent) => Promise<void>,
  onError: ((error: unknown) => void) | undefined,
): EventSubscription {
  const stop = new AbortController();
  const deliver = async () => {
    let position = fromPosition;
    while (!stop.signal.aborted) {
      const version = source.wakeup.version;
      const batch = await source.read(position, batchSize);
      for (const event of batch) {
        if (stop.signal.aborted) return;
        await onEvent(event);
        position = event.position;
      }
      if (batch.length < batchSize) await source.wakeup.wait(version, source.pollIntervalMs, stop.signal);
    }
  };
  const done = deliver().catch((error: unknown) => reportSubscriptionError(error, onError));
  return {
    async close() {
      stop.abort();
      await done;
    },
  };
}

/** A store's polling subscriptions: `subscribe` is its `subscribeToAll`; closing the store calls `closeAll`. */
export const pollingSubscriptions = (source: PollingSource) =>
  trackedSubscriptions((fromPosition, onEvent, onError) =>
    pollingSubscription(source, fromPosition, onEvent, onError),
  );
