import type { ServiceName } from '@ferry/contracts';
import type { MetricsRegistry } from '@ferry/metrics';
import type { ServiceHandlers } from '@ferry/rpc';
import type { DynamicModule, InjectionToken, ModuleMetadata, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import type { OperationContext } from './context.ts';
import { operationsController } from './controller.ts';
import { WireExceptionFilter } from './exception-filter.ts';
import { LOGGER, METRICS, OPERATION_HANDLERS } from './tokens.ts';

export interface OperationsModuleOptions<S extends ServiceName> {
  service: S;
  /**
   * Builds the service's handlers, one per operation the table gives `service`, each of its operation's
   * types (`ServiceHandlers`), from the providers named in `inject`.
   */
  handlers: {
    // `never[]`: any factory fits, whatever it takes; `inject` says what it gets.
    useFactory: (
      ...deps: never[]
    ) => ServiceHandlers<S, OperationContext> | Promise<ServiceHandlers<S, OperationContext>>;
    inject?: InjectionToken[];
  };
  /** Modules whose exported providers the handlers' factory injects (stores, clients, settings). */
  imports?: ModuleMetadata['imports'];
  /** More providers for the factory, built here. */
  providers?: Provider[];
  /** The service's logger: each message gets a child of it. Also provided as `LOGGER`. */
  log: Logger;
  /** Where operation durations go; the service exposes it. Also provided as `METRICS`. */
  metrics: MetricsRegistry;
}

/**
 * The Nest module of one service's operations: the controller built from the table, the handlers' factory,
 * a logger per message and the duration histogram (in the controller), the exception filter. Start it with
 * `NestFactory.createMicroservice(module, { strategy: new BusTransport({ bus, service }) })`.
 */
export const operationsModule = <S extends ServiceName>(
  options: OperationsModuleOptions<S>,
): DynamicModule => {
  const { service, handlers } = options;
  const OperationsModule = class {};
  Object.defineProperty(OperationsModule, 'name', { value: `${service}OperationsModule` });
  return {
    module: OperationsModule,
    imports: options.imports ?? [],
    controllers: [operationsController(service)],
    providers: [
      ...(options.providers ?? []),
      { provide: LOGGER, useValue: options.log },
      { provide: METRICS, useValue: options.metrics },
      { provide: OPERATION_HANDLERS, useFactory: handlers.useFactory, inject: handlers.inject ?? [] },
      {
        provide: APP_FILTER,
        useFactory: (log: Logger) => new WireExceptionFilter(log),
        inject: [LOGGER],
      },
    ],
    exports: [LOGGER, METRICS],
  };
};
