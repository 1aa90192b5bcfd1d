import { reportSubscriptionError, type EventSubscription, type RecordedEvent } from '@ferry/event-store';
import type { Wakeup } from './wakeup.ts';

const batchSize = 256;

export interface PollingSource {
  read(fromPosition: number, limit: number): RecordedEvent[];
  wakeup: Wakeup;
  /** The fallback poll: how soon an append by another process (no in-process wakeup) is seen. */
  pollIntervalMs: number;
}

/**
 * Reads batches after the last delivered position and hands them to `onEvent` one at a time, awaiting
 * each. When the log is exhausted it sleeps until an in-process append or the poll interval.
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
      const batch = source.read(position, batchSize);
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
