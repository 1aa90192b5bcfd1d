import type { MessageContext } from '@ferry/bus';
import type { Operation } from '@ferry/contracts';
import { contextFromHeaders, type RequestContext } from '@ferry/rpc';
import { BaseRpcContext } from '@nestjs/microservices';
import type { Logger } from 'pino';

/** What a handler gets besides its body on this transport: the request's context and its own logger. */
export interface OperationContext extends RequestContext {
  /** A child of the service's logger carrying requestId, correlationId, actor and the operation. */
  log: Logger;
}

/**
 * Nest's view of one message from the bus (what `@Ctx()` and `host.switchToRpc().getContext()` give): the
 * operation it asks for, the context read from its headers, and the logger the controller made for it.
 */
export class BusRpcContext extends BaseRpcContext<[MessageContext, Operation]> {
  readonly operation: Operation;
  readonly request: RequestContext;
  #log: Logger | undefined = undefined;
  #makeLog: (() => Logger) | undefined = undefined;

  constructor(message: MessageContext, operation: Operation) {
    super([message, operation]);
    this.operation = operation;
    this.request = contextFromHeaders(message.headers);
  }

  /**
   * The message's own logger, made on first use: most messages log nothing, and a pino child costs
   * microseconds on every request. Undefined until the operations controller has said how to make it.
   */
  get log(): Logger | undefined {
    this.#log ??= this.#makeLog?.();
    return this.#log;
  }

  /** Called by the operations controller before the handler runs. */
  logWith(make: () => Logger): void {
    this.#makeLog = make;
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  getHeaders(): MessageContext['headers'] {
    return this.args[0].headers;
  }
}
