import type { Bus } from '@ferry/bus';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import { createMetricsRegistry, type MetricsRegistry } from '@ferry/metrics';
import {
  applicationModule,
  BUS,
  CONNECTOR_RUNTIME,
  operationsModule,
  providedValues,
  SECRET_SEALER,
  startServiceApplication,
  stopsAtShutdown,
} from '@ferry/nest-bus';
import type { SecretSealer } from '@ferry/secrets';
import type { DynamicModule } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { type RunnerOptions, type RunnerWork, startRunnerWork } from './service.ts';

/** What the runner is given besides its ports; the composition root provides it. */
export type RunnerSettings = Omit<RunnerOptions, 'bus' | 'runtime' | 'sealer'>;
export const RUNNER_SETTINGS = Symbol('ferry.runner.settings');
const RUNNER_WORK = Symbol('ferry.runner.work');

/**
 * The runner as a Nest module: its operations, and the attempts they start, stopped at shutdown once no
 * message is in flight (they end failed, `runner stopped`, and are retried elsewhere). Injects BUS,
 * CONNECTOR_RUNTIME, SECRET_SEALER and RUNNER_SETTINGS.
 */
export const runnerModule = (options: { log: Logger; metrics: MetricsRegistry }): DynamicModule =>
  operationsModule({
    service: 'runner',
    log: options.log,
    metrics: options.metrics,
    handlers: { useFactory: (work: RunnerWork) => work.handlers, inject: [RUNNER_WORK] },
    providers: [
      {
        provide: RUNNER_WORK,
        useFactory: (bus: Bus, runtime: ConnectorRuntime, sealer: SecretSealer, settings: RunnerSettings) =>
          startRunnerWork({ ...settings, bus, runtime, sealer }),
        inject: [BUS, CONNECTOR_RUNTIME, SECRET_SEALER, RUNNER_SETTINGS],
      },
      stopsAtShutdown(RUNNER_WORK, 'last'),
    ],
  });

export interface RunnerService {
  stop(): Promise<void>;
}

/**
 * The runner on its own, given its ports as values (tests, tools): a Nest microservice of `runnerModule`.
 * Ferry's composition root (services/ferry) builds the same module with its providers.
 */
export const startRunnerService = async (
  options: RunnerOptions & { log?: Logger; metrics?: MetricsRegistry },
): Promise<RunnerService> => {
  const { bus, runtime, sealer, log = pino({ level: 'silent' }), metrics, ...settings } = options;
  const ports = providedValues('RunnerPorts', [
    [BUS, bus],
    [CONNECTOR_RUNTIME, runtime],
    [SECRET_SEALER, sealer],
    [RUNNER_SETTINGS, settings],
  ]);
  const module = applicationModule('RunnerApplication', [
    ports,
    runnerModule({ log, metrics: metrics ?? createMetricsRegistry() }),
  ]);
  const app = await startServiceApplication({ bus, service: 'runner', log, module });
  return { stop: () => app.close() };
};
