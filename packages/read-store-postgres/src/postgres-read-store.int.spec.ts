import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import { readStoreContract } from '@ferry/read-store/contract-suite';
import { expect, it } from 'vitest';
import { openPostgresReadStore } from './postgres-read-store.ts';

// Against the machine's PostgreSQL (or FERRY_TEST_POSTGRES_URL); each test gets its own schema, dropped
// afterwards.
const open = (schema: string) => openPostgresReadStore({ connectionString: testPostgresUrl(), schema });

readStoreContract(
  'postgres',
  async () => {
    const schema = uniqueSchema();
    return { schema, store: await open(schema), cleanup: () => dropSchema(schema) };
  },
  { reopen: ({ schema }) => open(schema) },
);

it('orders a field of mixed types as MongoDB does: absent or null, numbers, strings, objects, arrays, booleans', async () => {
  const schema = uniqueSchema();
  const store = await open(schema);
  try {
    const values = { t: true, arr: [], obj: {}, s: 'b', S: 'B', ten: 10, two: 2, nul: null };
    const docs = [{ id: 'absent' }, ...Object.entries(values).map(([id, v]) => ({ id, v }))];
    await store.commit(
      'p',
      1,
      docs.map((doc) => ({ collection: 'docs', op: 'put', doc })),
    );
    const order = async (direction: 'asc' | 'desc') =>
      (await store.find('docs', { orderBy: { field: 'v', direction } })).map((doc) => doc.id);
    expect(await order('asc')).toEqual(['absent', 'nul', 'two', 'ten', 'S', 's', 'obj', 'arr', 't']);
    expect(await order('desc')).toEqual(['t', 'arr', 'obj', 's', 'S', 'ten', 'two', 'absent', 'nul']);
  } finally {
    await store.close();
    await dropSchema(schema);
  }
});
