import { type EventStore, pollingSubscriptions, Wakeup } from '@ferry/event-store';
import {
  clientConfig,
  createClient,
  createPool,
  endPool,
  ping,
  serverOf,
  unreachable,
} from '@ferry/postgres';
import type pg from 'pg';
import { appendEvents } from './append.ts';
import { type AppendListener, listenForAppends } from './listener.ts';
import { readAfter, readHead, readStreamFrom } from './read.ts';
import { createTables, type Tables, tablesOf } from './schema.ts';

/** What errors call the store. */
const storeName = 'PostgreSQL event store';

export interface PostgresEventStoreOptions {
  /** e.g. `postgres://user:password@host:5432/database`. */
  connectionString: string;
  /** Where the tables live, created when missing. Default `ferry`. */
  schema?: string;
  /** How soon subscriptions look again when a notification was lost. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Connections for appends and reads, besides the one that listens. Default 10. */
  poolSize?: number;
}

/**
 * The event store on PostgreSQL: any number of processes may share one schema. Resolves once the tables
 * exist and appends are being listened for; rejects with one line naming the server (never the password)
 * when it cannot be reached.
 */
export async function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore> {
  const tables = tablesOf(options.schema ?? 'ferry');
  const server = serverOf(options.connectionString, storeName);
  const config = clientConfig({
    connectionString: options.connectionString,
    // Named after the schema, so that it is easy to spot in pg_stat_activity.
    applicationName: `ferry event store (${tables.schema})`,
  });
  const wakeup = new Wakeup();
  const listener = await prepare(config, tables, wakeup).catch((error: unknown) => {
    throw unreachable(storeName, server, error);
  });
  const pool = createPool(config, options.poolSize ?? 10);
  const describe = `postgres event store (${server}, schema ${tables.schema})`;
  return storeOver({
    pool,
    tables,
    wakeup,
    listener,
    describe,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });
}

async function prepare(config: pg.ClientConfig, tables: Tables, wakeup: Wakeup): Promise<AppendListener> {
  const client = createClient(config);
  try {
    await client.connect();
    await createTables(client, tables);
  } finally {
    await client.end().catch(() => {});
  }
  return listenForAppends(config, tables.channel, wakeup);
}

interface Parts {
  pool: pg.Pool;
  tables: Tables;
  wakeup: Wakeup;
  listener: AppendListener;
  describe: string;
  pollIntervalMs: number;
}

function storeOver({ pool, tables, wakeup, listener, describe, pollIntervalMs }: Parts): EventStore {
  const subscriptions = pollingSubscriptions({
    read: (fromPosition, limit) => readAfter(pool, tables, { fromPosition, limit }),
    wakeup,
    pollIntervalMs,
  });
  let closed = false;
  return {
    async append(streamName, events, expectedRevision) {
      const result = await appendEvents(pool, tables, streamName, events, expectedRevision);
      // This store's own subscriptions need not wait for the notification to come back.
      wakeup.notify();
      return result;
    },
    readStream: (streamName, { fromRevision = 0 } = {}) =>
      readStreamFrom(pool, tables, streamName, fromRevision),
    // Every event of a read is mapped the same way, with metadata or without it as the options ask.
    readAll: ((options = {}) => readAfter(pool, tables, options)) as EventStore['readAll'],
    subscribeToAll: subscriptions.subscribe,
    headPosition: () => readHead(pool, tables),
    ping: async () => !closed && (await ping(pool)),
    describe: () => describe,
    async close() {
      if (closed) return;
      closed = true;
      await subscriptions.closeAll();
      await listener.close();
      await endPool(pool);
    },
  };
}
