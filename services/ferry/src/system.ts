import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bus } from '@ferry/bus';
import { connectNatsBus, createInProcessBus, openDurableEvents } from '@ferry/bus';
import { configResourceModels, startConfigService } from '@ferry/config';
import { buildGateway } from '@ferry/gateway';
import { startJobsService } from '@ferry/jobs';
import { startRunnerService } from '@ferry/runner';
import { createSecretSealer } from '@ferry/secrets';
import { startAuditService } from '@ferry/audit';
import type { Logger } from 'pino';
import { builtInCatalog } from './catalog.ts';
import { natsBusOptions } from './nats-connection.ts';
import { healthChecks, startHealthServer } from './health.ts';
import { connectorRuntime } from './runtime.ts';
import { loadKeyring } from './secret-key.ts';
import type { ServiceRole, Settings } from './settings.ts';
import { openStores } from './stores.ts';
import { VERSION, debugInfo } from './version.ts';

export interface RunningFerry {
  /** `http://host:port/api` when this process runs the gateway. */
  url: string | null;
  rebuildReadModels(): Promise<void>;
  stop(): Promise<void>;
}

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

/** Stops in reverse order of start; each part stops even when another fails. */
const stopAll = async (stops: (() => Promise<unknown>)[]) => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
};

/** The composition root: chooses the adapters from the settings, starts the services asked for, wires them. */
export const startFerry = async (settings: Settings, log: Logger): Promise<RunningFerry> => {
  const stops: (() => Promise<unknown>)[] = [];
  const rebuilds: (() => Promise<void>)[] = [];
  const onError = (error: unknown) => log.error({ err: error }, 'background failure');
  try {
    const bus: Bus = settings.NATS_URL
      ? await connectNatsBus({ ...natsBusOptions(settings.NATS_URL, settings), onError })
      : createInProcessBus({ onError });
    stops.push(() => bus.close());
    const roles = new Set(settings.FERRY_SERVICES);
    // A generated secret key and attempt logs live in the data directory, whatever this process runs.
    mkdirSync(settings.FERRY_DATA_DIR, { recursive: true });
    // Only config, jobs and audit keep state: a gateway or runner process opens no store, so it needs no
    // store credentials and no route to the database.
    const stores = STATEFUL.some((role) => roles.has(role)) ? await openStores(settings) : undefined;
    if (stores)
      stops.push(
        () => stores.events.close(),
        () => stores.reads.close(),
      );
    const runtime = connectorRuntime(settings);
    // The config service seals, the runner unseals: the same keys (ADR 0005).
    const sealer = () => createSecretSealer(loadKeyring(settings.FERRY_SECRET_KEY, settings.FERRY_DATA_DIR));
    if (roles.has('runner')) stops.push((await startRunnerService({ bus, runtime, sealer: sealer() })).stop);
    if (roles.has('jobs') && stores) {
      const jobs = await startJobsService({
        bus,
        ...stores,
        logDir: join(settings.FERRY_DATA_DIR, 'logs'),
        connectorTimeoutMs: settings.FERRY_CONNECTOR_TIMEOUT_MS,
        callTimeoutMs: callTimeoutMs(settings),
        sync: syncSettings(settings),
        schedulerTickMs: settings.FERRY_SCHEDULER_TICK_MS,
        onError,
      });
      stops.push(jobs.stop);
      rebuilds.push(jobs.rebuildReadModels);
    }
    if (roles.has('config') && stores) {
      const info = () => debugInfo({ bus, stores, runtime, settings });
      const config = await startConfigService({
        bus,
        ...stores,
        sealer: sealer(),
        catalog: builtInCatalog,
        callTimeoutMs: callTimeoutMs(settings),
        customerId: randomUUID(),
        debugInfo: info,
        onError,
      });
      stops.push(config.stop);
      rebuilds.push(config.rebuildReadModels);
    }
    if (roles.has('audit') && stores) {
      // Opened before the audit service and so closed after it: the relay's last publish still lands.
      const durable =
        settings.FERRY_JETSTREAM && settings.NATS_URL
          ? await openDurableEvents(natsBusOptions(settings.NATS_URL, settings))
          : undefined;
      if (durable) stops.push(() => durable.close());
      const audit = await startAuditService({ bus, ...stores, models: configResourceModels, durable, onError });
      stops.push(audit.stop);
      rebuilds.push(audit.rebuildReadModels);
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
      });
      const address = await app.listen({ port: settings.FERRY_PORT, host: settings.FERRY_HOST });
      url = `${address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost')}/api`;
      stops.push(() => app.close());
    }
    if (settings.FERRY_HEALTH_PORT !== undefined) {
      const listen = { port: settings.FERRY_HEALTH_PORT, host: settings.FERRY_HOST };
      stops.push((await startHealthServer(healthChecks(bus, stores), listen)).stop);
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
