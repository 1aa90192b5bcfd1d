/** What a connector may print (stdout and stderr together) for spec, check or discover. */
export const DEFAULT_COMMAND_OUTPUT_LIMIT_BYTES = 64 * 1024 * 1024;
/** What each side of a sync may print besides records and states: logs, stderr, noise. */
export const DEFAULT_SYNC_LOG_LIMIT_BYTES = 256 * 1024 * 1024;

const mib = (bytes: number) => `${+(bytes / 1024 / 1024).toFixed(2)} MiB`;

/**
 * Counts a connector's output against a limit; the first time the count passes it, `onExceeded` runs
 * once (it stops the connector) and `reason()` names the limit.
 */
export function outputLimit(limitBytes: number, what: string, onExceeded: () => void) {
  let seen = 0;
  let exceeded = false;
  return {
    count(bytes: number): void {
      seen += bytes;
      if (exceeded || seen <= limitBytes) return;
      exceeded = true;
      onExceeded();
    },
    reason: () => (exceeded ? `it printed more than ${mib(limitBytes)} of ${what}, its limit` : null),
  };
}
