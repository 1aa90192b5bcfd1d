import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HEADER, operations, parseOrThrow, principal, type Operation } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import { deadlineOf, requestOperation, type SendableReply, sendableReply } from '@ferry/rpc';
import { PartsBody, sendableBody, slicedBody } from './body-parts.ts';
import { httpError } from './errors.ts';

export interface RouteOptions {
  /**
   * How long to wait for an operation that may run a connector before answering 504; reads and writes
   * have the operation table's shorter deadlines (`packages/contracts/src/deadlines.ts`).
   */
  connectorDeadlineMs: number;
  /** The longest `Prefer: wait=<s>` honoured. */
  maxPreferWaitSeconds: number;
}

/** `"3"`, `W/"3"` or `3` → 3; anything else is ignored rather than refused. */
const revisionOf = (ifMatch: string | undefined) => {
  const match = ifMatch?.match(/^(?:W\/)?"?(\d+)"?$/);
  return match ? match[1]! : undefined;
};

const preferWait = (prefer: string | undefined, max: number) => {
  const match = prefer?.match(/(?:^|[\s,;])wait=(\d+)/);
  return match ? Math.min(Number(match[1]), max) : undefined;
};

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The bus headers of a request: who asks, its ids, and the HTTP headers a service acts on. */
const busHeaders = (request: FastifyRequest, wait: number | undefined): Record<string, string> => {
  const headers: Record<string, string> = {
    [HEADER.requestId]: request.id,
    [HEADER.correlationId]: header(request, 'x-correlation-id') ?? request.id,
    [HEADER.actor]: request.principal?.actor ?? principal.anonymous,
  };
  const key = header(request, 'idempotency-key');
  if (key) headers[HEADER.idempotencyKey] = key;
  const revision = revisionOf(header(request, 'if-match'));
  if (revision !== undefined) headers[HEADER.ifMatch] = revision;
  if (wait !== undefined) headers[HEADER.preferWait] = String(wait);
  return headers;
};

const send = (reply: FastifyReply, operation: Operation, answer: SendableReply) => {
  if (answer.etag !== undefined) void reply.header('ETag', `"${answer.etag}"`);
  if (!operation.response) return reply.code(204).send();
  // The service's own text, sent as it stands with the content type fastify gives a serialised object.
  if ('bodyParts' in answer) return reply.code(200).type(JSON_TYPE).send(sendableBody(answer.bodyParts));
  if ('bodySlices' in answer) return reply.code(200).type(JSON_TYPE).send(slicedBody(answer.bodySlices));
  return reply.code(200).send(answer.body);
};

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A streamed body's Content-Length, set where fastify sets a string's: after the app's onSend hooks (a
 * route's run after them), so the headers are the same, in the same order, as for the one string.
 */
const lengthOfStreamedBody = (
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
) => {
  if (payload instanceof PartsBody) void reply.header('content-length', String(payload.byteLength));
  done(null, payload);
};

/**
 * One route per operation of the contract, at `/api/v1/...` and `/v1/...`: parse with the operation's
 * schema, send on its subject, map the answer. No domain logic here.
 */
export const registerOperationRoutes = (app: FastifyInstance, bus: Bus, options: RouteOptions) => {
  for (const operation of operations) {
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const body = operation.request ? parseOrThrow(operation.request, request.body) : null;
        const wait = preferWait(header(request, 'prefer'), options.maxPreferWaitSeconds);
        const deadlineMs = deadlineOf(operation, options.connectorDeadlineMs) + (wait ?? 0) * 1000;
        const headers = busHeaders(request, wait);
        const answer = await requestOperation(bus, operation, body, { headers, deadlineMs });
        return send(reply, operation, sendableReply(answer));
      } catch (error) {
        // Health is always 200: a service that does not answer means the stores are not reachable.
        if (operation.operationId === 'getHealthCheck') return reply.code(200).send({ db: false });
        const { status, body } = httpError(error);
        if (status >= 500) request.log.error({ err: error }, 'operation failed');
        return reply.code(status).send(body);
      }
    };
    for (const prefix of ['/api', '']) {
      const config = { operationId: operation.operationId };
      const url = `${prefix}${operation.path}`;
      app.route({ method: operation.method, url, config, handler, onSend: lengthOfStreamedBody });
    }
  }
};

export const newRequestId = () => randomUUID();
