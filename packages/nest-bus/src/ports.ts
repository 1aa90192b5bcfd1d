import type { Bus } from '@ferry/bus';
import type { ServiceName } from '@ferry/contracts';
import type { DynamicModule, INestMicroservice, InjectionToken, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { nestLoggerOf } from './nest-logger.ts';
import { BusTransport } from './transport.ts';

/**
 * Tokens of the ports a service's module injects. The composition root provides them by factories
 * chosen from its settings (services/ferry); a service's module never picks an adapter.
 */
export const BUS = Symbol('ferry.bus');
export const EVENT_STORE = Symbol('ferry.eventStore');
export const READ_STORE = Symbol('ferry.readStore');
export const SECRET_SEALER = Symbol('ferry.secretSealer');
export const CONNECTOR_RUNTIME = Symbol('ferry.connectorRuntime');
/** What a service keeps as read models, `{ rebuild(): Promise<void> }`, for `rebuild-read-models`. */
export const READ_MODELS = Symbol('ferry.readModels');

/** Read models that can be emptied and replayed from the log. */
export interface ReadModels {
  rebuild(): Promise<void>;
}

/** Something running in the background that ends with `stop()`: a projector, a scheduler, a relay. */
export interface Worker {
  stop(): Promise<void>;
}

/**
 * The provider that stops the worker `token` provides when its application closes, after the transport has
 * drained: `first` (onModuleDestroy) for workers that act through the others (a scheduler, a supervisor),
 * `last` (onApplicationShutdown) for the projections they write through.
 */
export const stopsAtShutdown = (token: InjectionToken, phase: 'first' | 'last'): Provider => ({
  provide: Symbol(`stops ${String(token)}`),
  useFactory: (worker: Worker) =>
    phase === 'first'
      ? { onModuleDestroy: () => worker.stop() }
      : { onApplicationShutdown: () => worker.stop() },
  inject: [token],
});

/**
 * A global module holding values made elsewhere: the ports an application context of the composition
 * root built, handed to each service's application so the services of one process share them.
 */
export const providedValues = (
  name: string,
  values: ReadonlyArray<[InjectionToken, unknown]>,
): DynamicModule => {
  const ValuesModule = class {};
  Object.defineProperty(ValuesModule, 'name', { value: name });
  const providers: Provider[] = values.map(([provide, useValue]) => ({ provide, useValue }));
  return { module: ValuesModule, global: true, providers, exports: values.map(([token]) => token) };
};

/** An application's module: the values it is given and the service's module. */
export const applicationModule = (name: string, imports: DynamicModule[]): DynamicModule => {
  const ApplicationModule = class {};
  Object.defineProperty(ApplicationModule, 'name', { value: name });
  return { module: ApplicationModule, imports };
};

export interface ServiceApplicationOptions {
  bus: Bus;
  service: ServiceName;
  /** Nest's own lines go here (at debug); the module's logger is the service's. */
  log: Logger;
  module: DynamicModule;
}

/**
 * Starts a service as a Nest microservice on the bus: its operations answered in queue group
 * `ferry-<service>` once this resolves. `app.close()` drains (BusTransport) and then runs the modules'
 * shutdown hooks, where workers stop and projections end.
 */
export const startServiceApplication = async (
  options: ServiceApplicationOptions,
): Promise<INestMicroservice> => {
  const app = await NestFactory.createMicroservice(options.module, {
    strategy: new BusTransport({ bus: options.bus, service: options.service }),
    logger: nestLoggerOf(options.log),
    abortOnError: false,
  });
  await app.listen();
  return app;
};
