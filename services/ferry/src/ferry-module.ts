import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Bus, connectNatsBus, createInProcessBus, openDurableEvents } from '@ferry/bus';
import { AUDIT_SETTINGS, type AuditSettings } from '@ferry/audit';
import { CONFIG_SETTINGS, type ConfigSettings, configResourceModels } from '@ferry/config';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { EventStore } from '@ferry/event-store';
import { JOBS_SETTINGS, type JobsSettings } from '@ferry/jobs';
import { BUS, CONNECTOR_RUNTIME, EVENT_STORE, READ_STORE, SECRET_SEALER } from '@ferry/nest-bus';
import type { ReadStore } from '@ferry/read-store';
import { RUNNER_SETTINGS, type RunnerSettings } from '@ferry/runner';
import { createSecretSealer } from '@ferry/secrets';
import type { DynamicModule, InjectionToken, Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { builtInCatalog } from './catalog.ts';
import { natsBusOptions } from './nats-connection.ts';
import { connectorRuntime } from './runtime.ts';
import { loadKeyring } from './secret-key.ts';
import type { ServiceRole, Settings } from './settings.ts';
import { openStores } from './stores.ts';
import { debugInfo } from './version.ts';

export const SETTINGS = Symbol('ferry.settings');
const STORES = Symbol('ferry.stores');
const DURABLE_EVENTS = Symbol('ferry.durableEvents');

type Stores = { events: EventStore; reads: ReadStore };

/**
 * Timeouts nest so the innermost speaks first: a connector (FERRY_CONNECTOR_TIMEOUT_MS) < the jobs service's
 * call to a runner (+5 s) < a service's call to the jobs service (+10 s) < the gateway (FERRY_REQUEST_TIMEOUT_MS).
 */
const callTimeoutMs = (settings: Settings) => settings.FERRY_CONNECTOR_TIMEOUT_MS + 10_000;

const syncSettings = (settings: Settings) => ({
  maxAttempts: settings.FERRY_SYNC_MAX_ATTEMPTS,
  heartbeatIntervalMs: settings.FERRY_SYNC_HEARTBEAT_MS,
  leaseMs: settings.FERRY_SYNC_LEASE_MS,
  backoffMs: (failed: number) => Math.min(60_000, settings.FERRY_SYNC_BACKOFF_MS * 2 ** (failed - 1)),
  supervisorTickMs: Math.max(200, Math.min(2_000, settings.FERRY_SYNC_HEARTBEAT_MS)),
});

/** The services that open the stores. */
const STATEFUL: readonly ServiceRole[] = ['config', 'jobs', 'audit'];

const bus = (log: Logger): Provider => ({
  provide: BUS,
  useFactory: async (settings: Settings): Promise<Bus> => {
    const onError = (error: unknown) => log.error({ err: error }, 'background failure');
    return settings.NATS_URL
      ? connectNatsBus({ ...natsBusOptions(settings.NATS_URL, settings), onError })
      : createInProcessBus({ onError });
  },
  inject: [SETTINGS],
});

/** Only config, jobs and audit keep state: a gateway or runner process opens no store. */
const stores: Provider[] = [
  { provide: STORES, useFactory: (settings: Settings) => openStores(settings), inject: [SETTINGS] },
  { provide: EVENT_STORE, useFactory: (s: Stores) => s.events, inject: [STORES] },
  { provide: READ_STORE, useFactory: (s: Stores) => s.reads, inject: [STORES] },
];

const runtime: Provider = {
  provide: CONNECTOR_RUNTIME,
  useFactory: (settings: Settings) => connectorRuntime(settings),
  inject: [SETTINGS],
};
/** The connector processes started ahead of their runs (ADR 0027) end with the server. */
const runtimeClosing: Provider = {
  provide: Symbol('ferry.runtimeClosing'),
  useFactory: (runtime: ConnectorRuntime) => ({ onApplicationShutdown: () => runtime.close?.() }),
  inject: [CONNECTOR_RUNTIME],
};
// The config service seals, the runner unseals: the same keys (ADR 0005). No other service holds them.
const sealer: Provider = {
  provide: SECRET_SEALER,
  useFactory: (settings: Settings) =>
    createSecretSealer(loadKeyring(settings.FERRY_SECRET_KEY, settings.FERRY_DATA_DIR)),
  inject: [SETTINGS],
};
const runnerSettings: Provider = { provide: RUNNER_SETTINGS, useFactory: (): RunnerSettings => ({}) };

const configSettings: Provider = {
  provide: CONFIG_SETTINGS,
  useFactory: (settings: Settings, bus: Bus, stores: Stores, runtime: ConnectorRuntime): ConfigSettings => ({
    catalog: builtInCatalog,
    callTimeoutMs: callTimeoutMs(settings),
    customerId: randomUUID(),
    debugInfo: () => debugInfo({ bus, stores, runtime, settings }),
  }),
  inject: [SETTINGS, BUS, STORES, CONNECTOR_RUNTIME],
};
const jobsSettings: Provider = {
  provide: JOBS_SETTINGS,
  useFactory: (settings: Settings): JobsSettings => ({
    logDir: join(settings.FERRY_DATA_DIR, 'logs'),
    connectorTimeoutMs: settings.FERRY_CONNECTOR_TIMEOUT_MS,
    callTimeoutMs: callTimeoutMs(settings),
    sync: syncSettings(settings),
    schedulerTickMs: settings.FERRY_SCHEDULER_TICK_MS,
  }),
  inject: [SETTINGS],
};
const auditSettings: Provider[] = [
  {
    provide: DURABLE_EVENTS,
    useFactory: async (settings: Settings) =>
      settings.FERRY_JETSTREAM && settings.NATS_URL
        ? { events: await openDurableEvents(natsBusOptions(settings.NATS_URL, settings)) }
        : { events: undefined },
    inject: [SETTINGS],
  },
  {
    provide: AUDIT_SETTINGS,
    useFactory: (durable: { events: AuditSettings['durable'] }): AuditSettings => ({
      models: configResourceModels,
      durable: durable.events,
    }),
    inject: [DURABLE_EVENTS],
  },
];

/**
 * Closes what the root opened once every service application has closed: JetStream, then the stores,
 * then the bus, which the services' last replies and publishes went through.
 */
const closing = (stateful: boolean, audit: boolean): Provider => ({
  provide: Symbol('ferry.closing'),
  useFactory: (bus: Bus, stores?: Stores, durable?: { events: AuditSettings['durable'] }) => ({
    onApplicationShutdown: async () => {
      await durable?.events?.close().catch(() => undefined);
      await stores?.events.close().catch(() => undefined);
      await stores?.reads.close().catch(() => undefined);
      await bus.close();
    },
  }),
  inject: [BUS, ...(stateful ? [STORES] : []), ...(audit ? [DURABLE_EVENTS] : [])],
});

export interface FerryModule {
  module: DynamicModule;
  /** The tokens it provides that the services' applications are handed. */
  shared: InjectionToken[];
}

/**
 * The composition root as a Nest module: settings, bus, stores, connector runtime, sealer and
 * each service's settings, every adapter chosen from the settings by a factory. One application context
 * of it holds what the services of this process share; each service runs as its own Nest microservice
 * application, handed these values (system.ts).
 */
export const ferryModule = (settings: Settings, log: Logger): FerryModule => {
  const roles = new Set(settings.FERRY_SERVICES);
  const stateful = STATEFUL.some((role) => roles.has(role));
  const keys = roles.has('config') || roles.has('runner');
  const providers: Provider[] = [
    { provide: SETTINGS, useValue: settings },
    bus(log),
    ...(keys ? [runtime, runtimeClosing, sealer] : []),
    ...(roles.has('runner') ? [runnerSettings] : []),
    ...(stateful ? stores : []),
    ...(roles.has('config') ? [configSettings] : []),
    ...(roles.has('jobs') ? [jobsSettings] : []),
    ...(roles.has('audit') ? auditSettings : []),
    closing(stateful, roles.has('audit')),
  ];
  const FerryRoot = class {};
  Object.defineProperty(FerryRoot, 'name', { value: 'FerryRootModule' });
  const shared: InjectionToken[] = [BUS];
  if (keys) shared.push(CONNECTOR_RUNTIME, SECRET_SEALER);
  if (roles.has('runner')) shared.push(RUNNER_SETTINGS);
  if (stateful) shared.push(EVENT_STORE, READ_STORE);
  if (roles.has('config')) shared.push(CONFIG_SETTINGS);
  if (roles.has('jobs')) shared.push(JOBS_SETTINGS);
  if (roles.has('audit')) shared.push(AUDIT_SETTINGS);
  return { module: { module: FerryRoot, providers }, shared };
};
