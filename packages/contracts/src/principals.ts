/**
 * Who an event says did it: its metadata's `actor` (ADR 0009). A request carries its principal to every
 * service in the `ferry-actor` bus header; decisions no request asked for name the part of Ferry that made
 * them.
 */
export const principal = {
  /** HTTP Basic: the configured user. */
  user: (name: string) => `user:${name}`,
  /** A bearer API token, by id (never by its secret). */
  token: (tokenId: string) => `token:${tokenId}`,
  /** Authentication is off: nobody in particular. */
  anonymous: 'anonymous',
  /** Syncs the scheduler fired because they were due. */
  scheduler: 'system:scheduler',
  /** The sync supervisor: lost attempts failed, retries started, ended jobs released. */
  supervisor: 'system:supervisor',
  /** What the config service seeds at start: the default workspace, the built-in catalog. */
  config: 'system:config',
  /** `ferry rotate-secret-key`: configurations sealed again under a new key. */
  keyRotation: 'system:key-rotation',
} as const;
