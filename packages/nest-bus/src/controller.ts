import { type ServiceName, subjectOf } from '@ferry/contracts';
import { handlersInTableOrder, operationsOf, parseRequest, type RuntimeHandler } from '@ferry/rpc';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { BusRpcContext, OperationContext } from './context.ts';
import { LOGGER, OPERATION_HANDLERS } from './tokens.ts';

interface OperationsControllerInstance {
  handlers: ReadonlyMap<string, RuntimeHandler>;
  log: Logger;
}

/**
 * The controller of a service's operations, built from the operation table: one `@MessagePattern` method
 * per operation the table gives `service`, on the operation's subject, each parsing the body with the
 * operation's schema and handing it to the handler of that operation. Decorators are plain functions,
 * applied here in a loop, so no subject is written twice and nothing needs a compile step (ADR 0003).
 * The handlers come from the `OPERATION_HANDLERS` provider; a missing one stops the application's start.
 */
export const operationsController = (service: ServiceName): Type<unknown> => {
  const OperationsController = class {
    handlers: ReadonlyMap<string, RuntimeHandler>;
    log: Logger;

    constructor(handlers: object, log: Logger) {
      const inOrder = handlersInTableOrder(service, handlers);
      this.handlers = new Map(inOrder.map(({ operation, handler }) => [operation.operationId, handler]));
      this.log = log;
    }
  };
  Object.defineProperty(OperationsController, 'name', { value: `${service}OperationsController` });
  for (const operation of operationsOf(service)) {
    const key = operation.operationId;
    const method = {
      [key](this: OperationsControllerInstance, payload: unknown, context: BusRpcContext) {
        const fallback = this.log;
        const ctx: OperationContext = {
          ...context.request,
          // Read when the handler first logs: the message's child logger is made only then.
          get log() {
            return context.log ?? fallback;
          },
        };
        return this.handlers.get(key)!(parseRequest(operation, payload), ctx);
      },
    }[key]!;
    Object.defineProperty(OperationsController.prototype, key, {
      value: method,
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(OperationsController.prototype, key)!;
    MessagePattern(subjectOf(operation))(OperationsController.prototype, key, descriptor);
    Payload()(OperationsController.prototype, key, 0);
    Ctx()(OperationsController.prototype, key, 1);
  }
  Inject(OPERATION_HANDLERS)(OperationsController, undefined, 0);
  Inject(LOGGER)(OperationsController, undefined, 1);
  Controller()(OperationsController);
  return OperationsController;
};
