import { createRequire } from 'node:module';
import type { Bus } from '@ferry/bus';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { EventStore } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';
import type { Settings } from './settings.ts';

const require = createRequire(import.meta.url);
export const VERSION: string = require('../package.json').version;

const versionOf = (pkg: string) => {
  try {
    return require(`${pkg}/package.json`).version as string;
  } catch {
    return 'unknown';
  }
};

/** `/v1/debug`: versions of every part and the adapters this process uses. */
export const debugInfo = async (parts: {
  bus: Bus;
  stores: { events: EventStore; reads: ReadStore };
  runtime: ConnectorRuntime;
  settings: Settings;
}) => ({
  version: VERSION,
  node: process.version,
  services: Object.fromEntries(parts.settings.FERRY_SERVICES.map((s) => [s, VERSION])),
  mode: parts.settings.NATS_URL ? 'distributed' : 'embedded',
  bus: parts.bus.describe(),
  eventStore: parts.stores.events.describe(),
  readStore: parts.stores.reads.describe(),
  connectorRuntime: parts.runtime.describe(),
  connectorRuntimeAvailable: await parts.runtime.available().catch(() => false),
  libraries: {
    fastify: versionOf('fastify'),
    zod: versionOf('zod'),
    nats: versionOf('nats'),
    pino: versionOf('pino'),
  },
});
