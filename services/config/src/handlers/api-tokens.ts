import { randomUUID } from 'node:crypto';
import { apiTokenDigest, DomainError, newApiToken, principal, type RequestOf } from '@ferry/contracts';
import { asksForPage, handleCommand, pageOf, readState } from '@ferry/eventsourcing';
import { commandContextOf } from '@ferry/rpc';
import { apiTokenDecider, apiTokenStream } from '../api-token/api-token.ts';
import { digestMatches, hashApiTokenDigest } from '../api-token/hashing.ts';
import type { ApiTokenDoc } from '../projections/api-tokens.ts';
import { COLLECTION } from '../projections/read-models.ts';
import type { RequestContext } from './context.ts';
import { write, type ConfigDeps } from './deps.ts';

const seconds = (ctx: RequestContext) => Math.floor(ctx.now.getTime() / 1000);
/** Hashed against for an unknown id, so that an unknown id costs as long as a known one. */
const NOBODY = { salt: 'nobody', hash: '' };

/** A use is worth recording, but never worth failing a valid request over (another replica may race it). */
const recordUse = async (deps: ConfigDeps, tokenId: string, ctx: RequestContext) => {
  const command = { type: 'RecordApiTokenUse' as const, data: { tokenId, at: seconds(ctx) } };
  const context = { ...commandContextOf(ctx), actor: principal.token(tokenId) };
  await handleCommand(deps.events, apiTokenStream(tokenId), apiTokenDecider, command, context).catch(
    (error: unknown) => {
      if (!(DomainError.is(error) && error.category === 'conflict')) throw error;
    },
  );
};

export const apiTokenHandlers = (deps: ConfigDeps) => ({
  /**
   * The token is made here and shown once, in this answer; only a slow hash of its digest is stored. Ids
   * are always random: an Idempotency-Key cannot give the same token back, since nobody can show it twice.
   */
  createApiToken: async (req: RequestOf<'createApiToken'>, ctx: RequestContext) => {
    const tokenId = randomUUID();
    const token = newApiToken(tokenId);
    const { salt, hash } = await hashApiTokenDigest(apiTokenDigest(token));
    const data = { tokenId, name: req.name, role: req.role, salt, hash, createdAt: seconds(ctx) };
    await write(deps, apiTokenStream(tokenId), apiTokenDecider, { type: 'CreateApiToken', data }, ctx);
    return { body: { tokenId, name: req.name, role: req.role, token, createdAt: data.createdAt } };
  },
  /** Oldest first; a page asked for is in token id order (ADR 0013). */
  listApiTokens: async (req: RequestOf<'listApiTokens'>) => {
    const { docs, nextPageToken } = await pageOf<ApiTokenDoc>(deps.reads, COLLECTION.apiTokens, {}, req);
    const views = docs.map((doc) => doc.view);
    if (!asksForPage(req))
      views.sort((a, b) => a.createdAt - b.createdAt || a.tokenId.localeCompare(b.tokenId));
    return { body: { tokens: views, ...(nextPageToken && { nextPageToken }) } };
  },
  revokeApiToken: async (req: RequestOf<'revokeApiToken'>, ctx: RequestContext) => {
    const command = { type: 'RevokeApiToken' as const, data: { tokenId: req.tokenId, at: seconds(ctx) } };
    await write(deps, apiTokenStream(req.tokenId), apiTokenDecider, command, ctx);
    return { body: undefined };
  },
  /**
   * Read from the token's own stream, not the read model: a revoke is seen by the very next verification.
   * Wrong, unknown and revoked tokens answer alike, so the answer tells a guesser nothing.
   */
  verifyApiToken: async (req: RequestOf<'verifyApiToken'>, ctx: RequestContext) => {
    const { state } = await readState(deps.events, apiTokenStream(req.tokenId), apiTokenDecider);
    const matches = await digestMatches(req.digest, state.status === 'absent' ? NOBODY : state);
    if (state.status !== 'active' || !matches) {
      return { body: { valid: false, role: null } };
    }
    await recordUse(deps, req.tokenId, ctx);
    return { body: { valid: true, role: state.role } };
  },
});
