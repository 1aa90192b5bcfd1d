import {
  allOperations,
  parseOrThrow,
  subjectOf,
  type OperationId,
  type OperationReply,
  type RequestOf,
  type ServiceName,
} from '@ferry/contracts';
import type { Bus, Subscription } from '@ferry/bus';
import { contextFromHeaders, type RequestContext } from './context.ts';

type AnyHandler = (request: never, ctx: RequestContext) => Promise<OperationReply> | OperationReply;
/** A service's handlers, keyed by operationId; the table says which operations each service owns. */
export type OperationHandlers = Partial<Record<OperationId, AnyHandler>>;
export type HandlerOf<Id extends OperationId> = (
  request: RequestOf<Id>,
  ctx: RequestContext,
) => Promise<OperationReply>;

/**
 * Answers every operation the table gives to `service`, in queue group `ferry-<service>` so replicas share
 * the load. Bodies are parsed with the contract again here: a service never trusts its caller's
 * validation. An operation of the service without a handler is a wiring defect, refused at start-up.
 */
export const serveOperations = async (
  bus: Bus,
  service: ServiceName,
  handlers: OperationHandlers,
): Promise<Subscription[]> => {
  const owned = allOperations.filter((o) => o.service === service);
  const missing = owned.filter((o) => !handlers[o.operationId]).map((o) => o.operationId);
  if (missing.length > 0) throw new Error(`${service} service lacks handlers for ${missing.join(', ')}`);
  return Promise.all(
    owned.map((operation) => {
      const handler = handlers[operation.operationId] as AnyHandler;
      return bus.handle(
        subjectOf(operation),
        async (payload, message) => {
          const request = operation.request ? parseOrThrow(operation.request, payload) : undefined;
          return handler(request as never, contextFromHeaders(message.headers));
        },
        { queue: `ferry-${service}` },
      );
    }),
  );
};
