import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import type { Document, ReadStore } from '@ferry/read-store';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresReadStore } from './postgres-read-store.ts';

const put = (doc: Document) => ({ collection: 'docs', op: 'put' as const, doc });
const ids = (docs: Document[]) => docs.map((doc) => doc.id);

describe('PostgreSQL read store, strings jsonb cannot hold', () => {
  let schema = '';
  let store: ReadStore | undefined;
  const open = async () => {
    schema = uniqueSchema();
    store = await openPostgresReadStore({ connectionString: testPostgresUrl(), schema, poolSize: 2 });
    return store;
  };
  afterEach(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('stores and returns lone surrogates exactly, and queries see U+FFFD in their place', async () => {
    const store = await open();
    const doc = { id: 'lone', name: 'x\ud800y', tags: ['\udc00'], workspaceId: 'w1' };
    await store.commit('p', 1, [put(doc), put({ id: 'plain', name: 'x\ufffdy', workspaceId: 'w2' })]);
    expect(JSON.stringify(await store.get('docs', 'lone'))).toBe(JSON.stringify(doc));
    expect(JSON.stringify(await store.find('docs', { where: { workspaceId: 'w1' } }))).toBe(
      JSON.stringify([doc]),
    );
    const named = async (name: string) => ids(await store.find('docs', { where: { name } }));
    expect(await named('x\ud800y')).toEqual(['lone', 'plain']);
    expect(await named('x\ufffdy')).toEqual(['lone', 'plain']);
  });

  it('finds a document by the very string that holds a NUL, and sorts it as U+FFFD', async () => {
    const store = await open();
    const docs = [
      { id: 'nul', name: 'a\u0000' },
      { id: 'z', name: 'a\uffff' },
      { id: 'y', name: 'a' },
    ];
    await store.commit('p', 1, docs.map(put));
    expect(ids(await store.find('docs', { where: { name: 'a\u0000' } }))).toEqual(['nul']);
    expect(ids(await store.find('docs', { where: { name: ['a\u0000', 'a'] } }))).toEqual(['nul', 'y']);
    const ascending = await store.find('docs', { orderBy: { field: 'name', direction: 'asc' } });
    expect(ids(ascending)).toEqual(['y', 'nul', 'z']);
  });

  it('takes over a table from before, whose copy was computed as body::jsonb, keeping its documents', async () => {
    schema = uniqueSchema();
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.query(`CREATE TABLE "${schema}".documents (
        collection text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, position bigint NOT NULL,
        body json, doc jsonb GENERATED ALWAYS AS (body::jsonb) STORED, PRIMARY KEY (collection, id))`);
      await admin.query(
        `INSERT INTO "${schema}".documents (collection, id, position, body) VALUES ('docs', 'old', 1, $1)`,
        ['{"id":"old","v":1}'],
      );
    } finally {
      await admin.end();
    }
    store = await openPostgresReadStore({ connectionString: testPostgresUrl(), schema, poolSize: 2 });
    await store.commit('p', 2, [put({ id: 'new', v: 2, name: 'a\u0000b' })]);
    expect(await store.find('docs', { orderBy: { field: 'v', direction: 'desc' } })).toEqual([
      { id: 'new', v: 2, name: 'a\u0000b' },
      { id: 'old', v: 1 },
    ]);
    expect(ids(await store.find('docs', { where: { v: 1 } }))).toEqual(['old']);
  });
});
