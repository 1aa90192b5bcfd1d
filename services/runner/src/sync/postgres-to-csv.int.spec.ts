import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configured, csvRows, IMAGES, sync, syncSandbox } from '../../test/sync-support.ts';

const schema = `ferry_runner_${process.pid}_${Date.now()}`;
const stream = `${schema}.items`;
const PASSWORD = 'not-the-real-password'; // trust auth ignores it; the attempt log must not show it
const source = {
  image: IMAGES.postgres,
  config: {
    host: '127.0.0.1',
    port: 5432,
    database: 'test',
    username: 'postgres',
    password: PASSWORD,
    schemas: [schema],
  },
};
const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });
let box: Awaited<ReturnType<typeof syncSandbox>>;

beforeAll(async () => {
  box = await syncSandbox();
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, name text, updated_at int NOT NULL)`);
  await admin.query(`INSERT INTO ${schema}.items VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  await box.remove();
});

const file = () => box.rawFile(stream, 'csv');
const ids = async () => (await csvRows(file())).map((r) => r.id);

describe('sync pipeline: PostgreSQL table into local CSV', () => {
  it('full refresh writes exactly the rows of the table', async () => {
    const full = [configured(stream, 'full_refresh', 'overwrite')];
    const { result, log } = await sync(box.runtime, box.request(source, IMAGES.csv, full), {
      secrets: [PASSWORD],
    });
    expect(result).toMatchObject({ succeeded: true, recordsSynced: 3 });
    expect(await csvRows(file())).toEqual([
      { id: 1, name: 'a', updated_at: 1 },
      { id: 2, name: 'b', updated_at: 2 },
      { id: 3, name: 'c', updated_at: 3 },
    ]);
    expect(log).not.toContain(PASSWORD);
  });

  it('incremental appends only rows whose cursor moved past the state; an update without a cursor move is not re-read', async () => {
    const incremental = [configured(stream, 'incremental', 'append', 'updated_at')];
    await sync(box.runtime, box.request(null, IMAGES.csv, incremental)); // start from an empty file
    const first = await sync(box.runtime, box.request(source, IMAGES.csv, incremental));
    expect(first.result).toMatchObject({ succeeded: true, recordsSynced: 3 });
    expect(first.result.state).toEqual({
      streams: { [stream]: { cursor_field: ['updated_at'], cursor: 3 } },
    });

    await admin.query(`INSERT INTO ${schema}.items VALUES (4, 'd', 4), (5, 'e', 5)`);
    await admin.query(`UPDATE ${schema}.items SET name = 'a2' WHERE id = 1`);
    const second = await sync(box.runtime, box.request(source, IMAGES.csv, incremental, first.result.state));
    expect(second.result).toMatchObject({ succeeded: true, recordsSynced: 2 });
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a reset empties the destination, and a sync without state starts from scratch', async () => {
    const incremental = [configured(stream, 'incremental', 'append', 'updated_at')];
    const reset = await sync(box.runtime, box.request(null, IMAGES.csv, incremental));
    expect(reset.result).toMatchObject({ succeeded: true, state: null });
    expect(await csvRows(file())).toEqual([]);
    const again = await sync(box.runtime, box.request(source, IMAGES.csv, incremental));
    expect(again.result).toMatchObject({ succeeded: true, recordsSynced: 5 });
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
  });
});
