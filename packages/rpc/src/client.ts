import {
  operationById,
  subjectOf,
  type OperationId,
  type OperationReply,
  type RequestOf,
  type ResponseOf,
} from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import { headersFromContext, type RequestContext } from './context.ts';

/** Calls another service's operation over the bus, carrying the caller's correlation. */
export type OperationClient = <Id extends OperationId>(
  operationId: Id,
  body: RequestOf<Id>,
  ctx: RequestContext,
  options?: { timeoutMs?: number },
) => Promise<ResponseOf<Id>>;

/**
 * `defaultTimeoutMs` bounds every call that names no timeout of its own. A service that calls operations
 * which run connectors must wait longer than a connector may take, or its caller sees 504 for a job that
 * is still doing its work.
 */
export const createOperationClient =
  (bus: Bus, defaultTimeoutMs?: number): OperationClient =>
  async (operationId, body, ctx, options) => {
    const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
    const reply = (await bus.request(subjectOf(operationById(operationId)), body ?? null, {
      headers: headersFromContext(ctx),
      ...(timeoutMs ? { timeoutMs } : {}),
    })) as OperationReply;
    return reply.body as ResponseOf<typeof operationId>;
  };
