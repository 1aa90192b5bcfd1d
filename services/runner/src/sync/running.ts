import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncAttemptRequest } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';
import { type AttemptDeps, runAttempt } from './attempt.ts';

/** How long `stop()` waits for stopped attempts to end and report before it returns anyway. */
const STOP_GRACE_MS = 10_000;

interface Running {
  attempt: number;
  controller: AbortController;
  done: Promise<void>;
}

const jobIdOf = (payload: unknown) => {
  const jobId = (payload as { jobId?: unknown } | null)?.jobId;
  return typeof jobId === 'number' ? jobId : undefined;
};

/** The attempts this runner is running, by job id: started in the background, stoppable one by one. */
export function runningAttempts(deps: AttemptDeps) {
  const running = new Map<number, Running>();
  return {
    /** Starts an attempt and returns at once; a redelivered request of a running attempt starts nothing. */
    start(request: SyncAttemptRequest, ctx: RequestContext): void {
      const current = running.get(request.jobId);
      if (current?.attempt === request.attempt) return;
      // A newer attempt of the same job means the jobs service has given up on the older one.
      current?.controller.abort('superseded by a newer attempt');
      const controller = new AbortController();
      const done = runAttempt(deps, ctx, request, controller).finally(() => {
        if (running.get(request.jobId)?.controller === controller) running.delete(request.jobId);
      });
      running.set(request.jobId, { attempt: request.attempt, controller, done });
    },
    /** A cancel published to every runner (`{jobId}`): stops that job's attempt if it runs here. */
    cancel(payload: unknown): void {
      const jobId = jobIdOf(payload);
      if (jobId !== undefined) running.get(jobId)?.controller.abort('cancelled');
    },
    /** Stops every attempt (they end failed, `runner stopped`, and are retried elsewhere). */
    async stop(): Promise<void> {
      const all = [...running.values()];
      for (const a of all) a.controller.abort('runner stopped');
      await Promise.race([
        Promise.allSettled(all.map((a) => a.done)),
        sleep(STOP_GRACE_MS, undefined, { ref: false }),
      ]);
    },
  };
}
