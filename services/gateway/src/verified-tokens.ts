import type { Principal } from './auth.ts';

export interface VerifiedTokenOptions {
  /** How long a verification is trusted without asking again: the longest a revoke may go unnoticed. */
  ttlMs: number;
  capacity?: number;
}

interface Entry {
  tokenId: string;
  principal: Principal;
  expiresAt: number;
}

/**
 * Tokens this gateway verified recently, so the slow hash is paid once per token and `ttlMs`, not per
 * request. Keyed by the token's SHA-256 digest: the token itself is never kept. A revoked id is remembered,
 * so a verification that was in flight while the revoke happened cannot put the token back.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, Entry>();
  readonly #revoked = new Set<string>();
  readonly #ttlMs: number;
  readonly #capacity: number;

  constructor(options: VerifiedTokenOptions) {
    this.#ttlMs = options.ttlMs;
    this.#capacity = options.capacity ?? 10_000;
  }

  get(digest: string): Principal | undefined {
    const entry = this.#entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.principal;
    this.#entries.delete(digest);
    return undefined;
  }

  set(digest: string, tokenId: string, principal: Principal): void {
    if (this.#revoked.has(tokenId)) return;
    this.#entries.delete(digest);
    this.#entries.set(digest, { tokenId, principal, expiresAt: Date.now() + this.#ttlMs });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Revocation is final: the id is never trusted from the cache again. */
  revoke(tokenId: string): void {
    this.#revoked.add(tokenId);
    // Bounded: forgetting an old revoked id only means its next verification asks the config service.
    if (this.#revoked.size > this.#capacity) this.#revoked.delete(this.#revoked.values().next().value!);
    for (const [digest, entry] of this.#entries) if (entry.tokenId === tokenId) this.#entries.delete(digest);
  }
}
