/** How syncs are run and watched; the defaults suit production, tests shorten them. */
export interface SyncSettings {
  /** Attempts a sync or reset gets before it is `failed` (api-facts.md: 3). */
  maxAttempts: number;
  /** How often a runner reports progress; also the heartbeat of its lease. */
  heartbeatIntervalMs: number;
  /** An attempt without a heartbeat for this long has lost its runner and is failed. */
  leaseMs: number;
  /** Wait before attempt n+1 (n from 1): grows with each failure. */
  backoffMs: (failedAttempts: number) => number;
  /** How often the supervisor looks for lost attempts, due retries and undispatched jobs. */
  supervisorTickMs: number;
}

export const defaultSyncSettings: SyncSettings = {
  maxAttempts: 3,
  heartbeatIntervalMs: 2_000,
  leaseMs: 30_000,
  backoffMs: (n) => Math.min(60_000, 5_000 * 2 ** (n - 1)),
  supervisorTickMs: 2_000,
};
