import {
  API_TOKEN_STREAM_CATEGORY,
  apiTokenDigest,
  apiTokenIdOf,
  DEADLINE_MS,
  eventSubject,
  operationById,
  principal,
  type ResponseOf,
} from '@ferry/contracts';
import type { Bus, Headers, Subscription } from '@ferry/bus';
import { callOperation } from '@ferry/rpc';
import type { Principal } from './auth.ts';
import type { VerifiedTokens } from './verified-tokens.ts';

/**
 * Verifies a bearer token with the config service, which holds its slow hash, unless this gateway did so
 * within the cache's lifetime. A malformed token is refused here without asking anyone. The config service
 * gets the token's digest, never the token.
 */
export const createTokenVerifier =
  (bus: Bus, verified: VerifiedTokens) =>
  async (token: string, headers: Headers): Promise<Principal | null> => {
    const tokenId = apiTokenIdOf(token);
    if (tokenId === null) return null;
    const digest = apiTokenDigest(token);
    const known = verified.get(digest);
    if (known) return known;
    const reply = await callOperation(
      bus,
      operationById('verifyApiToken'),
      { tokenId, digest },
      { headers, deadlineMs: DEADLINE_MS.write },
    );
    const answer = reply.body as ResponseOf<'verifyApiToken'>;
    if (!answer.valid || answer.role === null) return null;
    const found = { actor: principal.token(tokenId), role: answer.role };
    verified.set(digest, tokenId, found);
    return found;
  };

/**
 * Other gateways' revokes reach this one as events (published by the audit service's relay), so they
 * take effect here at once; core NATS may drop one, and then the cache's lifetime still bounds the delay.
 */
export const followRevocations = (bus: Bus, verified: VerifiedTokens): Promise<Subscription> =>
  bus.subscribe(eventSubject(API_TOKEN_STREAM_CATEGORY, 'ApiTokenRevoked'), (event) => {
    const tokenId = (event as { data?: { tokenId?: unknown } }).data?.tokenId;
    if (typeof tokenId === 'string') verified.revoke(tokenId);
  });
