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

export const createOperationClient =
  (bus: Bus): OperationClient =>
  async (operationId, body, ctx, options) => {
    const reply = (await bus.request(subjectOf(operationById(operationId)), body ?? null, {
      headers: headersFromContext(ctx),
      ...(options?.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    })) as OperationReply;
    return reply.body as ResponseOf<typeof operationId>;
  };
