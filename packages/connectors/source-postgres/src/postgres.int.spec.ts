import type { AirbyteMessage, AirbyteStream } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest } from './index.ts';

const schema = `ferry_src_${process.pid}_${Date.now()}`;
const config = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  username: 'postgres',
  password: 'x',
  schemas: [schema],
};
const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });

const run = (command: 'check' | 'discover' | 'read', input: Parameters<typeof runConnectorProcess>[2]) =>
  runConnectorProcess(manifest.entryPoint, command, input);
const data = (ms: AirbyteMessage[]) => ms.flatMap((m) => (m.type === 'RECORD' ? [m.record.data] : []));
const states = (ms: AirbyteMessage[]) =>
  ms.flatMap((m) => (m.type === 'STATE' && m.state.data ? [m.state.data] : []));
const configured = (name: string, sync_mode: string, cursor_field?: string[]) => ({
  streams: [{ stream: { name, json_schema: {} } satisfies AirbyteStream, sync_mode, cursor_field }],
});

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.people (
    id bigint PRIMARY KEY, name text, score numeric, active boolean, tags text[], meta jsonb,
    born date, seen timestamptz, local_ts timestamp, n integer)`);
  await admin.query(`INSERT INTO ${schema}.people VALUES
    (1, 'Ada', 1.5, true, '{a,b}', '{"k":1}', '1815-12-10', '2020-01-02 03:04:05.123456+00', '2020-01-02 03:04:05', 7),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await admin.query(`CREATE VIEW ${schema}.names AS SELECT name FROM ${schema}.people`);
  // ts repeats three times, so checkpoints (every 10 000 rows) fall inside runs of equal cursor values.
  await admin.query(`CREATE TABLE ${schema}.events (id int PRIMARY KEY, ts int)`);
  await admin.query(`INSERT INTO ${schema}.events SELECT g, g / 3 FROM generate_series(1, 25000) g`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
});

describe('source-postgres', () => {
  it('checks the connection and reports the server error on failure', async () => {
    expect((await run('check', { config })).messages[0]).toMatchObject({
      connectionStatus: { status: 'SUCCEEDED' },
    });
    const bad = await run('check', { config: { ...config, database: 'ferry_no_such_db' } });
    expect(bad.code).toBe(0);
    expect(bad.messages[0]).toMatchObject({
      connectionStatus: { status: 'FAILED', message: 'database "ferry_no_such_db" does not exist' },
    });
  });

  it('discovers tables and views as <schema>.<table> with JSON schema types', async () => {
    const r = await run('discover', { config });
    const streams = r.messages[0]?.type === 'CATALOG' ? r.messages[0].catalog.streams : [];
    expect(streams.map((s) => s.name)).toEqual([`${schema}.events`, `${schema}.names`, `${schema}.people`]);
    const people = streams.find((s) => s.name.endsWith('.people'))!;
    expect(people.supported_sync_modes).toEqual(['full_refresh', 'incremental']);
    expect(people.source_defined_primary_key).toEqual([['id']]);
    expect(people.json_schema.properties).toMatchObject({
      id: { type: 'integer' },
      name: { type: 'string' },
      score: { type: 'number' },
      active: { type: 'boolean' },
      tags: { type: 'array' },
      meta: { type: 'object' },
      born: { type: 'string', format: 'date' },
      seen: { type: 'string', format: 'date-time' },
      n: { type: 'integer' },
    });
  });

  it('reads a full refresh with values as the schema promises', async () => {
    const r = await run('read', { config, catalog: configured(`${schema}.people`, 'full_refresh') });
    expect(r.code).toBe(0);
    expect(data(r.messages).sort((a, b) => Number(a.id) - Number(b.id))[0]).toEqual({
      id: 1,
      name: 'Ada',
      score: 1.5,
      active: true,
      tags: ['a', 'b'],
      meta: { k: 1 },
      born: '1815-12-10',
      seen: '2020-01-02T03:04:05.123456Z',
      local_ts: '2020-01-02T03:04:05',
      n: 7,
    });
  });

  it('reads incrementally with checkpoints that lose no rows, and resumes after the cursor', async () => {
    const stream = `${schema}.events`;
    const catalog = configured(stream, 'incremental', ['ts']);
    const first = await run('read', { config, catalog });
    const rows = data(first.messages) as { id: number; ts: number }[];
    expect(rows).toHaveLength(25000);
    const checkpoints = states(first.messages).map(
      (s) => (s.streams as Record<string, { cursor: number }>)[stream]!.cursor,
    );
    // Rows 10 000 and 20 000 carry ts 3333 and 6666; the checkpoint cannot know their runs are over yet.
    expect(checkpoints).toEqual([3332, 6665, 8333]);
    // Everything up to a checkpoint's cursor was emitted before that checkpoint.
    expect(rows.slice(0, 10000).filter((r) => r.ts <= 3332)).toHaveLength(
      rows.filter((r) => r.ts <= 3332).length,
    );

    const resumed = await run('read', { config, catalog, state: states(first.messages)[0] });
    expect(data(resumed.messages)).toHaveLength(rows.filter((r) => r.ts > 3332).length);

    await admin.query(`INSERT INTO ${stream} VALUES (25001, 9000), (25002, 8333)`);
    const next = await run('read', { config, catalog, state: states(first.messages).at(-1) });
    expect(data(next.messages)).toEqual([{ id: 25001, ts: 9000 }]);
    expect(states(next.messages).at(-1)).toEqual({
      streams: { [stream]: { cursor_field: ['ts'], cursor: 9000 } },
    });
  });

  it('fails on an unknown stream or a missing cursor field', async () => {
    const unknown = await run('read', { config, catalog: configured(`${schema}.nope`, 'full_refresh') });
    expect(unknown.code).toBe(1);
    const noCursor = await run('read', { config, catalog: configured(`${schema}.events`, 'incremental') });
    expect(noCursor.code).toBe(1);
    expect(noCursor.messages.at(-1)).toMatchObject({
      log: { message: expect.stringMatching(/needs a cursor_field/) },
    });
  });
});
