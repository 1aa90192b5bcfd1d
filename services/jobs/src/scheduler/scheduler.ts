import { DomainError, HEADER, principal } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { EventStore, EventSubscription } from '@ferry/event-store';
import { contextFromHeaders, createOperationClient } from '@ferry/rpc';
import { scheduleConnection, type SchedulerDeps } from './schedule-connection.ts';
import { ScheduleIndex } from './schedule-index.ts';

export const SCHEDULER_ACTOR = principal.scheduler;

export interface SchedulerOptions {
  bus: Bus;
  events: EventStore;
  /**
   * The longest pause between two ticks: a tick comes sooner when a connection is due sooner, or news of a
   * change came. The list of scheduled connections is taken again at least every ten of these.
   */
  tickMs: number;
  /** Told about every failure; a failing connection does not stop the others or the next tick. */
  onError: (error: unknown) => void;
  /**
   * Told, instead of `onError`, when no config service has answered yet: services start in any order
   * (in one process, or as processes and replicas), so until the first answer that is not a failure.
   */
  onWaiting?: (reason: string) => void;
  /** The clock; tests move it. */
  now?: () => Date;
}

export interface Scheduler {
  /** Ends the loop; resolves once the tick under way has finished. */
  stop(): Promise<void>;
}

/** Connections looked at at once within a tick: their appends share commits (group commit). */
const CONCURRENT_LOOKS = 16;
/** How soon news (a job's end, a changed connection) is acted on when the loop sleeps. */
const NEWS_DELAY_MS = 50;

/**
 * Starts syncs on schedule (api-facts.md, "Scheduler and jobs") and records why each due sync ran or not
 * in the `schedule-<connectionId>` streams. Several schedulers may run against the same bus and event store:
 * each due time is claimed in the event store before the sync is requested, so exactly one of them fires it.
 * A tick looks only at the connections due (`ScheduleIndex`), so its cost follows them, not all connections;
 * the list of all is taken again when the log shows a connection changed (and as a fallback every ten
 * `tickMs`). Ticks never overlap.
 */
export const startScheduler = (options: SchedulerOptions): Scheduler => {
  const now = options.now ?? (() => new Date());
  const deps: SchedulerDeps = {
    bus: options.bus,
    events: options.events,
    call: createOperationClient(options.bus),
    onError: options.onError,
    skipsSeen: new Set(),
  };
  const index = new ScheduleIndex();
  let subscription: EventSubscription | undefined;
  let listedAt = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  let wakesAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const ctx = contextFromHeaders({ [HEADER.actor]: SCHEDULER_ACTOR }, now());
    const at = ctx.now.getTime();
    // Listening first, so that no change falls between the list and the subscription.
    subscription ??= options.events.subscribeToAll(
      await options.events.headPosition(),
      async (event) => {
        if (index.heard(event, now().getTime())) wake(NEWS_DELAY_MS);
      },
      (error) => {
        // Listen again from the head on the next tick; what was missed meanwhile: the list is taken again,
        // and a job's end is made up for by the fallback look (`UNKNOWN_NEXT_MS`).
        subscription = undefined;
        index.listingAsked = true;
        options.onError(error);
      },
    );
    if (index.listingAsked || performance.now() - listedAt >= 10 * options.tickMs) {
      listedAt = performance.now();
      index.replaceAll((await deps.call('listScheduledConnections', {}, ctx)).connections, at);
    }
    const due = index.takeDue(at);
    const look = async () => {
      for (let connection = due.shift(); connection; connection = due.shift()) {
        const id = connection.connectionId;
        await scheduleConnection(deps, connection, ctx).then(
          (looked) => index.looked(id, looked, at),
          (error: unknown) => {
            index.failed(id, at + options.tickMs);
            deps.onError(error);
          },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_LOOKS, due.length) }, look));
  };

  const failed = (error: unknown) => {
    if (!answered && DomainError.is(error) && error.code === 'bus.no_responders')
      options.onWaiting?.(error.message);
    else options.onError(error);
  };
  const sleep = (ms: number) => {
    clearTimeout(timer);
    wakesAt = performance.now() + ms;
    timer = setTimeout(loop, ms);
  };
  /** Brings the next tick forward to within `ms`, unless one runs now or comes sooner anyway. */
  const wake = (ms: number) => {
    if (!stopped && timer !== undefined && performance.now() + ms < wakesAt) sleep(ms);
  };
  const loop = () => {
    timer = undefined;
    let ok = false;
    running = tick()
      .then(() => {
        answered = true;
        ok = true;
      }, failed)
      .finally(() => {
        if (stopped) return;
        const next = index.nextAt();
        const untilDue = next === undefined ? options.tickMs : next - now().getTime();
        sleep(ok ? Math.max(0, Math.min(options.tickMs, untilDue)) : options.tickMs);
      });
  };
  loop();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await subscription?.close();
    },
  };
};
