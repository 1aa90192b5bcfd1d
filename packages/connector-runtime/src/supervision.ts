import type { ConnectorExit } from './port.ts';

export type StopReason = NonNullable<ConnectorExit['reason']>;

export interface Supervision {
  /** Why the run was stopped, if Ferry stopped it. */
  readonly reason: StopReason | undefined;
  /** Stops watching: call once the run has ended. */
  dispose(): void;
}

/**
 * Calls `stop` once, on whichever comes first: `timeoutMs` elapsing or `signal` aborting. The adapter's
 * `stop` ends the connector (and everything it started); the run's exit then reports the reason.
 */
export function supervise(
  stop: (reason: StopReason) => void,
  timeoutMs?: number,
  signal?: AbortSignal,
): Supervision {
  let reason: StopReason | undefined;
  const fire = (why: StopReason) => {
    if (reason) return;
    reason = why;
    stop(why);
  };
  const onAbort = () => fire('cancelled');
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => fire('timeout'), timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    get reason() {
      return reason;
    },
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
