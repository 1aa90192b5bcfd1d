import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import type { Change, ReadStore } from '@ferry/read-store';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresReadStore } from './postgres-read-store.ts';

const positions = Array.from({ length: 20 }, (_, index) => index + 1);

/**
 * The changes of the commit at `position`: four of ten ids across two collections, put or deleted, so
 * that commits overlap on rows (the same rows, in other orders) and deletes race with puts.
 */
function changesAt(position: number): Change[] {
  return [0, 1, 2, 3].map((k) => {
    const id = `d${(position * 7 + k * 3) % 10}`;
    const collection = k % 2 === 0 ? 'docs' : 'others';
    return (position + k) % 5 === 0
      ? { collection, op: 'delete', id }
      : { collection, op: 'put', doc: { v: position, id, k } };
  });
}

/** A fixed shuffle, so that a failure can be replayed. */
const shuffled = (seed: number) => positions.toSorted((a, b) => ((a * seed) % 23) - ((b * seed) % 23));

const snapshot = async (store: ReadStore) =>
  JSON.stringify([await store.find('docs'), await store.find('others'), await store.checkpoint('p')]);

describe('PostgreSQL read store under concurrency', () => {
  const schemas: string[] = [];
  const stores: ReadStore[] = [];
  const open = async (schema: string, poolSize = 5) => {
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = await openPostgresReadStore({ connectionString: testPostgresUrl(), schema, poolSize });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it('lets several processes create the same schema at once', async () => {
    const schema = uniqueSchema();
    const opened = await Promise.all(Array.from({ length: 6 }, () => open(schema, 1)));
    await opened[0]?.commit('p', 1, changesAt(1));
    for (const store of opened) expect(await store.checkpoint('p')).toBe(1);
  });

  it('two replicas committing all 20 positions at once, in other orders, leave what one projector leaves', async () => {
    const single = await open(uniqueSchema());
    for (const position of positions) await single.commit('p', position, changesAt(position));

    const schema = uniqueSchema();
    const [first, second] = [await open(schema), await open(schema)];
    await Promise.all([
      ...shuffled(5).map((position) => first?.commit('p', position, changesAt(position))),
      ...shuffled(11).map((position) => second?.commit('p', position, changesAt(position))),
    ]);

    const expected = await snapshot(single);
    expect(expected).toContain('"v":20');
    expect(await snapshot(first!)).toBe(expected);
    expect(await snapshot(second!)).toBe(expected);
  });
});
