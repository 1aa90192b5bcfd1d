import { DomainError, type Operation, type ServiceName, subjectOf } from '@ferry/contracts';
import type { Histogram, MetricsRegistry } from '@ferry/metrics';
import {
  handlersInTableOrder,
  operationsOf,
  parseRequest,
  replyAsJsonText,
  type RuntimeHandler,
} from '@ferry/rpc';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { BusRpcContext, OperationContext } from './context.ts';
import { LOGGER, METRICS, OPERATION_HANDLERS } from './tokens.ts';

/** Every service's operation durations, one series per service, operation and outcome. */
export const OPERATION_DURATION = {
  name: 'ferry_operation_duration_seconds',
  help: 'Time a service took to answer an operation, by outcome (ok, or the error category).',
  total: { name: 'ferry_operations_total', help: 'Operations answered, by service, operation and outcome.' },
};

interface OperationsControllerInstance {
  answer(operation: Operation, payload: unknown, context: BusRpcContext): Promise<unknown>;
}

/**
 * The controller of a service's operations, built from the operation table: one `@MessagePattern` method
 * per operation the table gives `service`, on the operation's subject, each parsing the body with the
 * operation's schema and handing it to the handler of that operation. Decorators are plain functions,
 * applied here in a loop, so no subject is written twice and nothing needs a compile step (ADR 0003).
 * The handlers come from the `OPERATION_HANDLERS` provider; a missing one stops the application's start.
 *
 * Each message gets its own logger, a child carrying requestId, correlationId, actor and the operation
 * (`ctx.log`, made when first used), and its duration is recorded by outcome. This is done here rather
 * than in a Nest interceptor: Nest's interceptor chain (async resources, deferred observables) cost more
 * per request than the rest of the way through Nest, enough to slow the gateway's reads (ADR 0003).
 */
export const operationsController = (service: ServiceName): Type<unknown> => {
  const OperationsController = class implements OperationsControllerInstance {
    readonly #handlers: ReadonlyMap<string, RuntimeHandler>;
    readonly #log: Logger;
    readonly #durations: Histogram;

    constructor(handlers: object, log: Logger, metrics: MetricsRegistry) {
      const inOrder = handlersInTableOrder(service, handlers);
      this.#handlers = new Map(inOrder.map(({ operation, handler }) => [operation.operationId, handler]));
      this.#log = log;
      this.#durations = metrics.histogram(OPERATION_DURATION);
    }

    async answer(operation: Operation, payload: unknown, context: BusRpcContext): Promise<unknown> {
      const { operationId } = operation;
      const { requestId, correlationId, actor } = context.request;
      const serviceLog = this.#log;
      context.logWith(() => serviceLog.child({ requestId, correlationId, actor, operation: operationId }));
      const ctx: OperationContext = {
        ...context.request,
        // Read when the handler first logs: the message's child logger is made only then.
        get log() {
          return context.log ?? serviceLog;
        },
      };
      const started = performance.now();
      try {
        const reply = await this.#handlers.get(operationId)!(parseRequest(operation, payload), ctx);
        this.#record(context, operationId, 'ok', started);
        return replyAsJsonText(reply);
      } catch (error) {
        this.#record(context, operationId, DomainError.is(error) ? error.category : 'internal', started);
        throw error;
      }
    }

    #record(context: BusRpcContext, operation: string, outcome: string, started: number) {
      const seconds = (performance.now() - started) / 1000;
      this.#durations.observe({ service, operation, outcome }, seconds);
      if (this.#log.isLevelEnabled('debug'))
        context.log?.debug({ outcome, durationMs: Math.round(seconds * 1000) }, 'operation answered');
    }
  };
  Object.defineProperty(OperationsController, 'name', { value: `${service}OperationsController` });
  for (const operation of operationsOf(service)) {
    const key = operation.operationId;
    const method = {
      [key](this: OperationsControllerInstance, payload: unknown, context: BusRpcContext) {
        return this.answer(operation, payload, context);
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
  Inject(METRICS)(OperationsController, undefined, 2);
  Controller()(OperationsController);
  return OperationsController;
};
