import { createHash, randomBytes } from 'node:crypto';

/**
 * An API token is `fry_<tokenId>_<secret>` (ADR 0009): the id makes the lookup a read by key, the secret is
 * 32 random bytes (base64url). The gateway and the config service both read this shape, so it lives here.
 */
const SHAPE = /^fry_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Tokens live in streams `apiToken-<tokenId>`, so their events are published on `ferry.events.apiToken.*`. */
export const API_TOKEN_STREAM_CATEGORY = 'apiToken';

export const newApiToken = (tokenId: string): string =>
  `fry_${tokenId}_${randomBytes(32).toString('base64url')}`;

/** The token's id, or null when the text is not shaped like a token (nothing to look up then). */
export const apiTokenIdOf = (token: string): string | null => SHAPE.exec(token)?.[1] ?? null;

/**
 * SHA-256 of the whole token, hex. The gateway keys its cache by it and sends it, never the token, to the
 * config service, which keeps only a slow hash of it: the token itself stays at the edge.
 */
export const apiTokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');
