import { DomainError, HEADER, principal } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import type { EventStore } from '@ferry/event-store';
import { contextFromHeaders, createOperationClient } from '@ferry/rpc';
import { scheduleConnection, type SchedulerDeps } from './schedule-connection.ts';

export const SCHEDULER_ACTOR = principal.scheduler;

export interface SchedulerOptions {
  bus: Bus;
  events: EventStore;
  /** Pause between the end of one tick and the start of the next. */
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

/** One pass over every scheduled connection, one at a time. */
const tick = async (deps: SchedulerDeps, now: () => Date) => {
  const ctx = contextFromHeaders({ [HEADER.actor]: SCHEDULER_ACTOR }, now());
  const { connections } = await deps.call('listScheduledConnections', {}, ctx);
  for (const connection of connections) {
    await scheduleConnection(deps, connection, ctx).catch(deps.onError);
  }
};

/**
 * Starts syncs on schedule (api-facts.md, "Scheduler and jobs") and records why each due sync ran or not
 * in the `schedule-<connectionId>` streams. Several schedulers may run against the same bus and event store:
 * each due time is claimed in the event store before the sync is requested, so exactly one of them fires it.
 * Ticks never overlap: the next starts `tickMs` after the previous one ended.
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
  let stopped = false;
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const failed = (error: unknown) => {
    if (!answered && DomainError.is(error) && error.code === 'bus.no_responders')
      options.onWaiting?.(error.message);
    else options.onError(error);
  };
  const loop = () => {
    running = tick(deps, now)
      .then(() => {
        answered = true;
      }, failed)
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.tickMs);
      });
  };
  loop();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
