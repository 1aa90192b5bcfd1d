import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import { type TcpProxy, startTcpProxy } from '@ferry/postgres/testing';
import type { ReadStore } from '@ferry/read-store';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresReadStore } from './postgres-read-store.ts';

const put = (id: string, v: number) => ({ collection: 'docs', op: 'put' as const, doc: { id, v } });

async function expectRejectionWithin(opening: Promise<unknown>, message: RegExp, ms: number) {
  const started = Date.now();
  const error = await opening.then(
    () => new Error('opened'),
    (rejection: Error) => rejection,
  );
  expect(error.message).toMatch(message);
  expect(Date.now() - started).toBeLessThan(ms);
  return error;
}

describe('PostgreSQL read store that cannot open', () => {
  it('names the server and the reason, never the password, within seconds', async () => {
    const connectionString = 'postgres://ferry:s3cret@127.0.0.1:1/read_models';
    const error = await expectRejectionWithin(
      openPostgresReadStore({ connectionString }),
      /^Cannot reach the PostgreSQL read store at postgres:\/\/127\.0\.0\.1:1\/read_models: .*ECONNREFUSED/,
      3_000,
    );
    expect(error.message).not.toMatch(/s3cret|ferry:/);
  });

  it('says so when the connection string is not a postgres:// URL, without repeating it', async () => {
    for (const connectionString of ['not a url', 'mysql://root:s3cret@localhost/db']) {
      const error = await expectRejectionWithin(
        openPostgresReadStore({ connectionString }),
        /not a postgres:\/\/ URL/,
        1_000,
      );
      expect(error.message).not.toContain('s3cret');
    }
  });

  it('passes on what the server says, e.g. a database that does not exist', async () => {
    const url = new URL(testPostgresUrl());
    url.pathname = '/ferry_no_such_database';
    await expectRejectionWithin(
      openPostgresReadStore({ connectionString: url.toString(), schema: uniqueSchema() }),
      /ferry_no_such_database.*does not exist/,
      5_000,
    );
  });
});

describe('PostgreSQL read store whose server goes away', () => {
  let schema = '';
  let proxy: TcpProxy | undefined;
  let store: ReadStore | undefined;
  beforeEach(() => {
    schema = uniqueSchema();
    proxy = undefined;
    store = undefined;
  });
  afterEach(async () => {
    await store?.close();
    await proxy?.close();
    await dropSchema(schema);
  });

  it('answers ping false within about 2 s while down or silent, and works again once back', async () => {
    proxy = await startTcpProxy(testPostgresUrl());
    store = await openPostgresReadStore({ connectionString: proxy.url, schema });
    expect(store.describe()).toBe(
      `postgres read store (${new URL(proxy.url).host}/postgres, schema ${schema})`,
    );
    await store.commit('p', 1, [put('a', 1)]);
    for (const mode of ['refuse', 'blackhole'] as const) {
      proxy.mode(mode);
      proxy.cut();
      const started = Date.now();
      expect(await store.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    proxy.mode('forward');
    proxy.cut();
    expect(await store.ping()).toBe(true);
    await store.commit('p', 2, [put('a', 2)]);
    expect(await store.get('docs', 'a')).toEqual({ id: 'a', v: 2 });
  });

  it('survives its connections being terminated, as by a restart, and reconnects on the next query', async () => {
    store = await openPostgresReadStore({ connectionString: testPostgresUrl(), schema, poolSize: 3 });
    await Promise.all([store.commit('p', 1, [put('a', 1)]), store.checkpoint('p'), store.find('docs')]);
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    try {
      const terminated = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`ferry read store ${schema}`],
      );
      expect(terminated.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // An idle client's 'error' event, unhandled, would have failed this test (or killed the process).
    await store.commit('p', 2, [put('a', 2)]);
    expect(await store.find('docs')).toEqual([{ id: 'a', v: 2 }]);
    expect(await store.ping()).toBe(true);
  });
});
