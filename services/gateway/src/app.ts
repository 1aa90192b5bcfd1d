import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Bus } from '@ferry/bus';
import { createMetricsRegistry, type MetricsRegistry } from '@ferry/metrics';
import { registerAccessControl } from './access-control.ts';
import type { BasicAuth } from './auth.ts';
import { registerConsole } from './console.ts';
import { registerDocs } from './docs.ts';
import { registerEventStream } from './events.ts';
import { registerMetrics } from './metrics.ts';
import { httpError, notJson } from './errors.ts';
import { registerReadiness } from './readiness.ts';
import { newRequestId, registerOperationRoutes } from './routes.ts';

export interface GatewayOptions {
  bus: Bus;
  version: string;
  /** Authentication is on when set: this user (an admin) with Basic, or API tokens with Bearer. */
  auth?: BasicAuth | undefined;
  /** How long a verified API token is trusted before the config service is asked again (default 30 s). */
  tokenCacheMs?: number;
  /** Failed authentications per address and window before 429 (default 10 a minute). */
  failedAuthentications?: { max: number; timeWindowMs: number };
  /** A pino logger; requests log through `request.log` children carrying the request id. */
  logger?: FastifyBaseLogger;
  /** How long an operation that may run a connector may take; reads and writes have shorter deadlines. */
  connectorDeadlineMs?: number;
  /**
   * The process's metrics, which `/api/v1/metrics` renders: the gateway adds its HTTP histogram, services
   * in the same process their operation durations. Default: a registry of the gateway's own.
   */
  metrics?: MetricsRegistry;
  /** The web console's build to serve at `/` (default: services/console/dist); a page says when it is missing. */
  consoleDir?: string;
}

/** No API body needs more; deeper ones would only exhaust the stack of whoever walks them next. */
const MAX_DEPTH = 64;

/** Iterative, so a hostile body cannot overflow the stack of the check itself. */
const depthExceeds = (value: unknown, max: number): boolean => {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
};

/** Reads any body as text and parses JSON itself, so malformed or empty bodies get a 422, never a 400/500. */
const jsonBodies = (app: FastifyInstance) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 },
    (_request, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return done(notJson((error as Error).message), undefined);
      }
      if (depthExceeds(parsed, MAX_DEPTH))
        return done(notJson(`nested deeper than ${MAX_DEPTH} levels`), undefined);
      done(null, parsed);
    },
  );
};

/** A credential never reaches a log line, whatever serializers the logger was given. */
const REDACTED = ['req.headers.authorization', 'request.headers.authorization', 'headers.authorization'];

/** The HTTP edge: built apart from `listen()` so tests drive it through `inject()`. */
export const buildGateway = async (options: GatewayOptions): Promise<FastifyInstance> => {
  const logger = options.logger?.child({}, { redact: { paths: REDACTED, censor: '[redacted]' } });
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    genReqId: (request) => (request.headers['x-request-id'] as string | undefined) ?? newRequestId(),
  });
  jsonBodies(app);
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    exposedHeaders: ['ETag', 'X-Request-Id'],
  });
  app.decorateRequest('principal', null);
  if (options.auth)
    await registerAccessControl(app, {
      bus: options.bus,
      auth: options.auth,
      tokenCacheMs: options.tokenCacheMs ?? 30_000,
      failures: options.failedAuthentications ?? { max: 10, timeWindowMs: 60_000 },
    });
  // Once close() is called the requests in flight are still answered, each telling its client to close the
  // connection: otherwise close() would wait out every keep-alive connection (72 s by default).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback hooks, not async ones: fastify awaits an async hook's promise, a cost on every answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Request-Id', request.id);
    if (closing) reply.header('Connection', 'close');
    done(null, payload);
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const mapped = httpError(error);
    // Fastify's own client errors (body too large, bad content length) keep their 4xx status.
    const status =
      mapped.status === 500 && error.statusCode && error.statusCode < 500 ? error.statusCode : mapped.status;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply.code(status).send(status === mapped.status ? mapped.body : { message: error.message });
  });
  registerOperationRoutes(app, options.bus, {
    connectorDeadlineMs: options.connectorDeadlineMs ?? 90_000,
    maxPreferWaitSeconds: 600,
  });
  registerReadiness(app, options.bus);
  registerEventStream(app, options.bus);
  registerDocs(app, options.version);
  registerMetrics(app, options.metrics ?? createMetricsRegistry());
  await registerConsole(app, options.consoleDir);
  return app;
};
