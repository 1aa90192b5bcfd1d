import {
  allOperations,
  type Operation,
  type OperationReply,
  parseOrThrow,
  type ServiceName,
  subjectOf,
} from '@ferry/contracts';
import type { Bus, Subscription } from '@ferry/bus';
import { contextFromHeaders, type RequestContext } from './context.ts';
import type { ServiceHandlers } from './handlers.ts';
import { replyAsJsonText } from './reply-text.ts';

/** The operations the table gives to `service`, in the table's order. */
export const operationsOf = (service: ServiceName): Operation[] =>
  allOperations.filter((o) => o.service === service);

/** A handler as the transport calls it: the types were checked where the handlers were written. */
export type RuntimeHandler = (
  request: unknown,
  ctx: RequestContext,
) => Promise<OperationReply> | OperationReply;

/**
 * Each operation of `service` with its handler, in the table's order. A missing handler is a wiring defect,
 * refused at start-up: `ServiceHandlers` catches it at compile time, this catches an object built at run time.
 */
export const handlersInTableOrder = (
  service: ServiceName,
  handlers: object,
): Array<{ operation: Operation; handler: RuntimeHandler }> => {
  const byId = handlers as Record<string, RuntimeHandler | undefined>;
  const owned = operationsOf(service);
  const missing = owned.filter((o) => typeof byId[o.operationId] !== 'function').map((o) => o.operationId);
  if (missing.length > 0) throw new Error(`${service} service lacks handlers for ${missing.join(', ')}`);
  return owned.map((operation) => ({ operation, handler: byId[operation.operationId]! }));
};

/** An operation's body as the contract parses it: a service never trusts its caller's validation. */
export const parseRequest = (operation: Operation, payload: unknown): unknown =>
  operation.request ? parseOrThrow(operation.request, payload) : undefined;

/** The queue group a service's replicas share, so each request reaches one of them. */
export const queueOf = (service: ServiceName): string => `ferry-${service}`;

/**
 * Answers every operation the table gives to `service`, in queue group `ferry-<service>` so replicas share
 * the load. Bodies are parsed with the contract again here. `handlers` holds exactly one handler of the
 * right request and response type per operation of the service: anything else fails `tsc`.
 */
export const serveTypedOperations = async <S extends ServiceName>(
  bus: Bus,
  service: S,
  handlers: ServiceHandlers<S>,
): Promise<Subscription[]> =>
  Promise.all(
    handlersInTableOrder(service, handlers).map(({ operation, handler }) =>
      bus.handle(
        subjectOf(operation),
        async (payload, message) =>
          replyAsJsonText(
            await handler(parseRequest(operation, payload), contextFromHeaders(message.headers)),
          ),
        { queue: queueOf(service) },
      ),
    ),
  );
