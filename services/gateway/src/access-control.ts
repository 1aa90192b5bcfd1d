import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  HEADER,
  operationById,
  roleAllows,
  roleRequired,
  type ApiTokenRole,
  type OperationId,
} from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import { authenticate, type BasicAuth, type Principal } from './auth.ts';
import { isConsoleRequest } from './console.ts';
import { createTokenVerifier, followRevocations } from './token-verifier.ts';
import { VerifiedTokens } from './verified-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as; null until authenticated, and when authentication is off. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Set on the routes of the operation table: the role they need derives from it. */
    operationId?: OperationId;
  }
}

export interface AccessControlOptions {
  bus: Bus;
  auth: BasicAuth;
  /** How long a verified token is trusted without asking the config service again. */
  tokenCacheMs: number;
  /** Failed authentications one address may make per window before it gets 429 for the rest of it. */
  failures: { max: number; timeWindowMs: number };
}

/**
 * Health, readiness and preflights stay open: probes and browsers cannot send credentials there. So do the
 * console's files (GETs outside /api and /v1): they hold no data, and the console signs in for its API calls.
 */
const isExempt = (request: FastifyRequest) =>
  request.method === 'OPTIONS' ||
  /\/v1\/(health|ready)$/.test(request.url.split('?')[0]!) ||
  isConsoleRequest(request);

/** Routes outside the operation table (docs, openapi.json, metrics, unknown paths) only read. */
const roleFor = (request: FastifyRequest): ApiTokenRole => {
  const id = request.routeOptions.config?.operationId;
  return id ? roleRequired(operationById(id)) : 'read';
};

/**
 * The same answer for every wrong credential: nothing in it helps a guesser. A script's request
 * (`X-Requested-With`, as the console sends) gets no challenge, which would make a browser open its own
 * password dialog over the console's sign-in.
 */
const unauthorized = (request: FastifyRequest, reply: FastifyReply) => {
  if (!request.headers['x-requested-with'])
    void reply.header('WWW-Authenticate', 'Basic realm="ferry", Bearer realm="ferry"');
  return reply.code(401).send({ message: 'Authentication required' });
};

const tooMany = (reply: FastifyReply, seconds: number) =>
  reply
    .code(429)
    .header('Retry-After', String(seconds))
    .send({ message: `Too many failed authentications; retry in ${seconds} s` });

const forbidden = (reply: FastifyReply, role: ApiTokenRole, request: FastifyRequest) =>
  reply.code(403).send({
    message: `A ${role} token may not call ${request.routeOptions.config?.operationId ?? request.url}: it needs the admin role`,
  });

/**
 * Authentication (Basic for the configured user, Bearer for API tokens) and the role check, on every
 * route. Failed credentials count per client address with @fastify/rate-limit; once an address is over
 * the limit it gets 429 before any credential is looked at, so a right guess cannot be told from a wrong
 * one until the window has passed.
 */
export const registerAccessControl = async (app: FastifyInstance, options: AccessControlOptions) => {
  await app.register(rateLimit, { global: false });
  const failures = app.createRateLimit({
    max: options.failures.max,
    timeWindow: options.failures.timeWindowMs,
  });
  const verified = new VerifiedTokens({ ttlMs: options.tokenCacheMs });
  const verify = createTokenVerifier(options.bus, verified);
  const revocations = await followRevocations(options.bus, verified);
  app.addHook('onClose', () => revocations.unsubscribe());

  app.addHook('onRequest', async (request, reply) => {
    if (isExempt(request)) return;
    const before = await failures(request, { increment: false });
    if (!before.isAllowed && before.isExceeded) return tooMany(reply, before.ttlInSeconds);
    const headers = { [HEADER.requestId]: request.id, [HEADER.correlationId]: request.id };
    const result = await authenticate(request.headers.authorization, options.auth, (token) =>
      verify(token, headers),
    );
    if (result === 'missing') return unauthorized(request, reply);
    if (result === 'failed') {
      const after = await failures(request);
      return !after.isAllowed && after.isExceeded
        ? tooMany(reply, after.ttlInSeconds)
        : unauthorized(request, reply);
    }
    request.principal = result;
    if (!roleAllows(result.role, roleFor(request))) return forbidden(reply, result.role, request);
  });

  // The gateway that answered a revoke stops trusting the token before the client hears the 204.
  app.addHook('onSend', async (request, reply) => {
    if (request.routeOptions.config?.operationId !== 'revokeApiToken' || reply.statusCode !== 204) return;
    const tokenId = (request.body as { tokenId?: unknown } | undefined)?.tokenId;
    if (typeof tokenId === 'string') verified.revoke(tokenId);
  });
};
