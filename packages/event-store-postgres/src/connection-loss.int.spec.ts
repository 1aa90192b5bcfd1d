import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { testPostgresUrl } from '@ferry/contract-testing/postgres';
import type { RecordedEvent } from '@ferry/event-store';
import { newEvents } from '@ferry/event-store/contract-suite';
import { startTcpProxy } from '@ferry/postgres/testing';
import pg from 'pg';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { testStore } from '../test/open.ts';
import { openPostgresEventStore } from './index.ts';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function openingError(connectionString: string): Promise<Error> {
  return openPostgresEventStore({ connectionString, schema: 'never_created' }).then(
    () => new Error('opened'),
    (error: Error) => error,
  );
}

describe('postgres event store, when the server cannot be reached', () => {
  it('rejects with one line naming the server and the reason, never the password', async () => {
    const port = await closedPort();
    const error = await openingError(`postgres://ferry:s3cret@127.0.0.1:${port}/events`);
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach the PostgreSQL event store at postgres://127\\.0\\.0\\.1:${port}/events: .*ECONNREFUSED`,
      ),
    );
    expect(error.message).not.toMatch(/s3cret|\n/);
  }, 10_000);

  it('names a database that does not exist', async () => {
    const url = new URL(testPostgresUrl());
    url.pathname = '/ferry_no_such_database';
    const error = await openingError(url.toString());
    expect(error.message).toMatch(
      /^Cannot reach the PostgreSQL event store at .*ferry_no_such_database: .*does not exist$/,
    );
  }, 10_000);

  it('ping answers false, and close returns, without throwing or hanging once the server is gone', async () => {
    const proxy = await startTcpProxy(testPostgresUrl());
    const { store } = await testStore({ connectionString: proxy.url });
    // Registered after the store's cleanup, so it runs before it: nothing is left waiting on the black hole.
    onTestFinished(() => proxy.close());
    expect(await store.ping()).toBe(true);
    proxy.mode('refuse');
    proxy.cut();
    expect(await store.ping()).toBe(false);
    proxy.mode('blackhole');
    const started = performance.now();
    expect(await store.ping()).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
    await store.close();
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await store.ping()).toBe(false);
  });
});

describe('postgres event store, when every connection is cut (a server restart)', () => {
  it('keeps the process alive and listens again: notifications arrive after the cut', async () => {
    const proxy = await startTcpProxy(testPostgresUrl());
    const { store, schema, open } = await testStore({ connectionString: proxy.url, pollIntervalMs: 60_000 });
    onTestFinished(() => proxy.close());
    const writer = await open({ connectionString: testPostgresUrl() });
    const seen: RecordedEvent[] = [];
    store.subscribeToAll(0, async (event) => {
      seen.push(event);
    });
    await writer.append('restart', newEvents(1), 'no_stream');
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000, interval: 10 });
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    onTestFinished(() => admin.end());
    await admin.connect();
    const { rows } = await admin.query<{ now: Date }>('SELECT now()');
    proxy.cut();
    // Waits for the store's listener to be back: a new session of the store that has run LISTEN.
    const listening = () =>
      admin.query(
        `SELECT 1 FROM pg_stat_activity
         WHERE application_name = $1 AND query LIKE 'LISTEN%' AND backend_start > $2`,
        [`ferry event store (${schema})`, rows[0]?.now],
      );
    await vi.waitFor(async () => expect((await listening()).rowCount).toBe(1), {
      timeout: 10_000,
      interval: 50,
    });
    await writer.append('restart', newEvents(1), 0);
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5_000, interval: 10 });
    expect(await store.headPosition()).toBe(2);
  });
});
