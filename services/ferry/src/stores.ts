import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@ferry/event-store';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import type { ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import type { Settings } from './settings.ts';

/**
 * The stores of this process: EventStoreDB and MongoDB when their URLs are set, else SQLite files in the
 * data directory. The production drivers are loaded only when asked for, so embedded mode never loads them.
 */
export const openStores = async (settings: Settings): Promise<{ events: EventStore; reads: ReadStore }> => {
  mkdirSync(settings.FERRY_DATA_DIR, { recursive: true });
  const events = settings.EVENTSTORE_URL
    ? (await import('@ferry/event-store-esdb')).createEsdbEventStore({
        connectionString: settings.EVENTSTORE_URL,
      })
    : createSqliteEventStore({ file: join(settings.FERRY_DATA_DIR, 'events.sqlite') });
  const reads = settings.MONGODB_URL
    ? await (await import('@ferry/read-store-mongodb')).createMongoReadStore({
        url: settings.MONGODB_URL,
        database: settings.MONGODB_DATABASE,
      })
    : createSqliteReadStore({ file: join(settings.FERRY_DATA_DIR, 'read-models.sqlite') });
  return { events, reads };
};
