import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import type { Settings } from './settings.ts';
import { parseStoreUrl, type StoreLocation } from './store-urls.ts';

/** Where this process's stores are: the URL settings, their older aliases, else SQLite files in the data directory. */
export const storeLocations = (settings: Settings) => {
  const eventUrl = settings.FERRY_EVENT_STORE_URL ?? settings.EVENTSTORE_URL;
  const readUrl = settings.FERRY_READ_STORE_URL ?? settings.MONGODB_URL;
  const eventSetting = settings.FERRY_EVENT_STORE_URL ? 'FERRY_EVENT_STORE_URL' : 'EVENTSTORE_URL';
  const readSetting = settings.FERRY_READ_STORE_URL ? 'FERRY_READ_STORE_URL' : 'MONGODB_URL';
  const dir = settings.FERRY_DATA_DIR;
  return {
    events: parseStoreUrl('event', eventSetting, eventUrl ?? 'sqlite:', dir, 'events.sqlite'),
    reads: parseStoreUrl('read', readSetting, readUrl ?? 'sqlite:', dir, 'read-models.sqlite'),
  };
};

/** The server drivers are loaded only when asked for, so embedded mode never loads them. */
const openEventStore = async (at: StoreLocation): Promise<EventStore> => {
  switch (at.kind) {
    case 'postgres':
      return (await import('@ferry/event-store-postgres')).openPostgresEventStore(at);
    case 'esdb':
      return (await import('@ferry/event-store-esdb')).createEsdbEventStore(at);
    case 'sqlite':
      mkdirSync(dirname(at.file), { recursive: true });
      return createSqliteEventStore({ file: at.file });
    default:
      throw new Error(`no event store for ${at.kind}`);
  }
};

const openReadStore = async (at: StoreLocation, database: string): Promise<ReadStore> => {
  switch (at.kind) {
    case 'postgres':
      return (await import('@ferry/read-store-postgres')).openPostgresReadStore(at);
    case 'mongodb':
      return (await import('@ferry/read-store-mongodb')).createMongoReadStore({ url: at.url, database });
    case 'sqlite':
      mkdirSync(dirname(at.file), { recursive: true });
      return createSqliteReadStore({ file: at.file });
    default:
      throw new Error(`no read store for ${at.kind}`);
  }
};

/** The stores of this process, chosen by URL (README, "Configuration"). */
export const openStores = async (settings: Settings): Promise<{ events: EventStore; reads: ReadStore }> => {
  mkdirSync(settings.FERRY_DATA_DIR, { recursive: true });
  const where = storeLocations(settings);
  const events = await openEventStore(where.events);
  try {
    return { events, reads: await openReadStore(where.reads, settings.MONGODB_DATABASE) };
  } catch (error) {
    await events.close();
    throw error;
  }
};
