import { setTimeout as sleep } from 'node:timers/promises';
import { type AttemptOutcome, DomainError } from '@ferry/contracts';
import type { OperationClient, RequestContext } from '@ferry/rpc';
import type { AttemptLog } from '../attempt-log.ts';

export interface ReportOptions {
  /** Give up after this long: the jobs service's lease check fails the attempt anyway. Default 30 s. */
  deadlineMs?: number;
  /** First pause between tries; doubles up to 5 s. Default 250 ms. */
  firstDelayMs?: number;
}

const MAX_DELAY_MS = 5000;
const CALL_TIMEOUT_MS = 5000;

/**
 * Whether another try may succeed: the bus had no responder or timed out (the jobs service is restarting),
 * or a concurrent write won. A refusal (the attempt is over, the job is unknown) will not change.
 */
const worthRetrying = (error: unknown) =>
  !(error instanceof DomainError) ||
  ['unavailable', 'timeout', 'conflict', 'internal'].includes(error.category);

/** Reports an attempt's outcome to the jobs service, retrying with back-off; resolves whether it landed. */
export async function reportOutcome(
  call: OperationClient,
  ctx: RequestContext,
  outcome: AttemptOutcome,
  log: AttemptLog,
  options: ReportOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  for (let delay = options.firstDelayMs ?? 250; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      await call('reportAttemptOutcome', outcome, ctx, { timeoutMs: CALL_TIMEOUT_MS });
      return true;
    } catch (error) {
      const message = (error as Error).message;
      if (!worthRetrying(error) || Date.now() + delay > deadline) {
        log.write('ferry', `could not report the outcome, giving up: ${message}`);
        return false;
      }
      log.write('ferry', `could not report the outcome (${message}); retrying in ${delay} ms`);
      // Unreferenced: a runner shutting down does not wait for these pauses.
      await sleep(delay, undefined, { ref: false });
    }
  }
}
