import type { ServiceName } from '@ferry/contracts';
import { DomainError } from '@ferry/contracts';
import type { Histogram, MetricsRegistry } from '@ferry/metrics';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Logger } from 'pino';
import { type Observable, tap } from 'rxjs';
import { BusRpcContext } from './context.ts';

/** Every service's operation durations, one series per service, operation and outcome. */
export const OPERATION_DURATION = {
  name: 'ferry_operation_duration_seconds',
  help: 'Time a service took to answer an operation, by outcome (ok, or the error category).',
  total: { name: 'ferry_operations_total', help: 'Operations answered, by service, operation and outcome.' },
};

export interface OperationInterceptorOptions {
  service: ServiceName;
  log: Logger;
  metrics: MetricsRegistry;
}

/**
 * Gives each message its own logger (a child carrying requestId, correlationId, actor and the operation,
 * which the handler gets as `ctx.log`, made when first used) and records how long the operation took, by
 * outcome.
 */
export class OperationInterceptor implements NestInterceptor {
  readonly #service: ServiceName;
  readonly #log: Logger;
  readonly #durations: Histogram;

  constructor(options: OperationInterceptorOptions) {
    this.#service = options.service;
    this.#log = options.log;
    this.#durations = options.metrics.histogram(OPERATION_DURATION);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const message = context.switchToRpc().getContext<unknown>();
    if (!(message instanceof BusRpcContext)) return next.handle();
    const { operationId } = message.operation;
    const { requestId, correlationId, actor } = message.request;
    message.logWith(() => this.#log.child({ requestId, correlationId, actor, operation: operationId }));
    const started = performance.now();
    const record = (outcome: string) => {
      const seconds = (performance.now() - started) / 1000;
      this.#durations.observe({ service: this.#service, operation: operationId, outcome }, seconds);
      if (this.#log.isLevelEnabled('debug'))
        message.log?.debug({ outcome, durationMs: Math.round(seconds * 1000) }, 'operation answered');
    };
    return next.handle().pipe(
      tap({
        complete: () => record('ok'),
        error: (error: unknown) => record(DomainError.is(error) ? error.category : 'internal'),
      }),
    );
  }
}
