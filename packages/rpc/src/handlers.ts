import type { allOperations, OperationId, RequestOf, ResponseOf, ServiceName } from '@ferry/contracts';
import type { RequestContext } from './context.ts';
import type { BodyText, StreamedBodyText } from './reply-text.ts';

type AnyOperation = (typeof allOperations)[number];

/** The operations the table gives to `S`: the ones its queue group `ferry-<S>` answers. */
export type OperationIdOf<S extends ServiceName> = Extract<AnyOperation, { service: S }>['operationId'];

/** What a handler answers for operation `Id`: its response body and, for single entities, an ETag. */
export interface OperationReplyOf<Id extends OperationId> {
  body: ResponseOf<Id>;
  /** The stream revision the body reflects; the gateway sends it as `ETag` and takes it back as `If-Match`. */
  etag?: number;
}

/**
 * What a handler may answer: the reply of `Id`, its body as values or as text it serialised itself, whole
 * or made over time.
 */
export type HandlerReplyOf<Id extends OperationId> = Omit<OperationReplyOf<Id>, 'body'> & {
  body: ResponseOf<Id> | BodyText<ResponseOf<Id>> | StreamedBodyText<ResponseOf<Id>>;
};

/** One operation's handler: the parsed request of `Id` in, the reply of `Id` out. */
export type HandlerOf<Id extends OperationId, Ctx extends RequestContext = RequestContext> = (
  request: RequestOf<Id>,
  ctx: Ctx,
) => Promise<HandlerReplyOf<Id>> | HandlerReplyOf<Id>;

/**
 * A service's handlers: exactly one for each operation the table gives it, each of that operation's request
 * and response type, so a missing, surplus (in a literal) or wrongly typed handler fails `tsc`. `Ctx` is what
 * the transport hands a handler besides the body: a handler written for the plain `RequestContext` fits a
 * transport that gives more (e.g. `@ferry/nest-bus`'s `OperationContext`, which adds a logger).
 */
export type ServiceHandlers<S extends ServiceName, Ctx extends RequestContext = RequestContext> = {
  [Id in OperationIdOf<S>]: HandlerOf<Id, Ctx>;
};
