import { mkdirSync } from 'node:fs';
import { auditModule } from '@ferry/audit';
import type { Bus } from '@ferry/bus';
import { configModule } from '@ferry/config';
import type { EventStore } from '@ferry/event-store';
import { buildGateway } from '@ferry/gateway';
import { jobsModule } from '@ferry/jobs';
import { createMetricsRegistry, type MetricsRegistry } from '@ferry/metrics';
import {
  applicationModule,
  BUS,
  EVENT_STORE,
  nestLoggerOf,
  providedValues,
  READ_MODELS,
  READ_STORE,
  type ReadModels,
  startServiceApplication,
} from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import { runnerModule } from '@ferry/runner';
import type { DynamicModule, INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { ferryModule } from './ferry-module.ts';
import { healthChecks, startHealthServer } from './health.ts';
import type { ServiceRole, Settings } from './settings.ts';
import { VERSION } from './version.ts';

export interface RunningFerry {
  /** `http://host:port/api` when this process runs the gateway. */
  url: string | null;
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

type ServiceModule = (options: { log: Logger; metrics: MetricsRegistry }) => DynamicModule;
/** The services that run as Nest microservices, in the order they start (and stop in reverse). */
const SERVICE_MODULES: ReadonlyArray<[Exclude<ServiceRole, 'gateway'>, ServiceModule]> = [
  ['runner', runnerModule],
  ['jobs', jobsModule],
  ['config', configModule],
  ['audit', auditModule],
];
const WITH_READ_MODELS: readonly ServiceRole[] = ['jobs', 'config', 'audit'];

/** Stops in reverse order of start; each part stops even when another fails. */
const stopAll = async (stops: (() => Promise<unknown>)[]) => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
};

/** The root's shared values, as a global module each service's application imports. */
const sharedWith = (root: INestApplicationContext, tokens: ReturnType<typeof ferryModule>['shared']) =>
  providedValues(
    'FerryPorts',
    tokens.map((token) => [token, root.get(token)]),
  );

/**
 * The composition root: the Ferry module's application context holds what this process's services share
 * (settings, bus, stores, runtime, sealer, metrics), each service asked for in FERRY_SERVICES runs as a
 * Nest microservice on the bus, then the gateway and the health server start. `stop()` closes in reverse:
 * the gateway answers the HTTP requests in flight (the services still answer them), each service stops
 * taking messages and answers the ones in flight before its workers stop, and the root closes the stores
 * and the bus last.
 */
export const startFerry = async (settings: Settings, log: Logger): Promise<RunningFerry> => {
  const stops: (() => Promise<unknown>)[] = [];
  const rebuilds: (() => Promise<void>)[] = [];
  try {
    // A generated secret key and attempt logs live in the data directory, whatever this process runs.
    mkdirSync(settings.FERRY_DATA_DIR, { recursive: true });
    const metrics = createMetricsRegistry();
    const ferry = ferryModule(settings, log);
    const root = await NestFactory.createApplicationContext(ferry.module, {
      logger: nestLoggerOf(log),
      abortOnError: false,
    });
    stops.push(() => root.close());
    const bus = root.get<Bus>(BUS);
    const shared = sharedWith(root, ferry.shared);
    const roles = new Set(settings.FERRY_SERVICES);
    for (const [service, serviceModule] of SERVICE_MODULES) {
      if (!roles.has(service)) continue;
      const serviceLog = log.child({ service });
      const module = applicationModule(`${service}Application`, [
        shared,
        serviceModule({ log: serviceLog, metrics }),
      ]);
      const app: INestMicroservice = await startServiceApplication({ bus, service, log: serviceLog, module });
      stops.push(() => app.close());
      if (WITH_READ_MODELS.includes(service))
        rebuilds.push(() => app.get<ReadModels>(READ_MODELS, { strict: false }).rebuild());
    }
    let url: string | null = null;
    if (roles.has('gateway')) {
      const auth = settings.FERRY_AUTH_USER
        ? { user: settings.FERRY_AUTH_USER, password: settings.FERRY_AUTH_PASSWORD! }
        : undefined;
      const app = await buildGateway({
        bus,
        version: VERSION,
        auth,
        logger: log.child({ service: 'gateway' }),
        connectorDeadlineMs: settings.FERRY_REQUEST_TIMEOUT_MS,
        metrics,
      });
      const address = await app.listen({ port: settings.FERRY_PORT, host: settings.FERRY_HOST });
      url = `${address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost')}/api`;
      stops.push(() => app.close());
    }
    if (settings.FERRY_HEALTH_PORT !== undefined) {
      const stateful = ferry.shared.includes(EVENT_STORE);
      const stores = stateful
        ? { events: root.get<EventStore>(EVENT_STORE), reads: root.get<ReadStore>(READ_STORE) }
        : undefined;
      const listen = { port: settings.FERRY_HEALTH_PORT, host: settings.FERRY_HOST };
      stops.push((await startHealthServer(healthChecks(bus, stores), listen, metrics)).stop);
    }
    return {
      url,
      rebuildReadModels: async () => void (await Promise.all(rebuilds.map((r) => r()))),
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
};
