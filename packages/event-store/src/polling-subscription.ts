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

/**
 * `source`, but a read asked again in the same turn of the event loop from the same position, before the
 * wakeup rings, gets the first one's answer: the live subscribers of a process (projectors, the audit
 * trail, the relay, the scheduler) wake on the same append and ask for the same events, which are then read
 * and parsed once instead of once each. The answer is what a read at that moment could have returned (an
 * append the wakeup has not yet announced rings it later, and each subscriber reads again then). They share
 * the same event objects, which handlers only read.
 */
export const sharedReads = (source: PollingSource): PollingSource => {
  let last: {
    fromPosition: number;
    limit: number;
    version: number;
    events: ReturnType<PollingSource['read']>;
  };
  let fresh = false;
  return {
    ...source,
    read(fromPosition, limit) {
      const version = source.wakeup.version;
      if (fresh && last.fromPosition === fromPosition && last.limit === limit && last.version === version)
        return last.events;
      const events = source.read(fromPosition, limit);
      if (!fresh) setImmediate(() => (fresh = false));
      fresh = true;
      last = { fromPosition, limit, version, events };
      return events;
    },
  };
};

/** A store's polling subscriptions: `subscribe` is its `subscribeToAll`; closing the store calls `closeAll`. */
export const pollingSubscriptions = (source: PollingSource) => {
  const shared = sharedReads(source);
  return trackedSubscriptions((fromPosition, onEvent, onError) =>
    pollingSubscription(shared, fromPosition, onEvent, onError),
  );
};
