import { createTestDatabase, type TestDatabase } from '@ferry/mysql-common/testing';
import type { AirbyteMessage, AirbyteStream } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifest } from './index.ts';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase('ferry_src_mysql');
});
afterEach(() => db.drop());

const run = (command: 'check' | 'discover' | 'read', input: Parameters<typeof runConnectorProcess>[2]) =>
  runConnectorProcess(manifest.entryPoint, command, input);
const data = (ms: AirbyteMessage[]) => ms.flatMap((m) => (m.type === 'RECORD' ? [m.record.data] : []));
const states = (ms: AirbyteMessage[]) =>
  ms.flatMap((m) => (m.type === 'STATE' && m.state.data ? [m.state.data] : []));
const configured = (name: string, sync_mode: string, cursor_field?: string[]) => ({
  streams: [{ stream: { name, json_schema: {} } satisfies AirbyteStream, sync_mode, cursor_field }],
});

const people = async () => {
  await db.admin.query(`CREATE TABLE people (
    id bigint PRIMARY KEY, name varchar(100), score decimal(10,2), ratio double, active tinyint(1),
    flag bit(1), meta json, born date, seen timestamp(6) NULL, local_ts datetime(3), n int, tiny tinyint,
    raw varbinary(4), kind enum('a','b'), at time)`);
  await db.admin.query(`INSERT INTO people VALUES
    (1, 'Ada', 1.5, 0.25, 1, b'1', '{"k":1}', '1815-12-10', '2020-01-02 03:04:05.123456',
     '2020-01-02 03:04:05.500', 7, -3, x'00ff', 'b', '10:11:12'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
};

describe('source-mysql (against MariaDB)', () => {
  it('checks the connection and reports the server error on failure', async () => {
    const ok = await run('check', { config: db.config });
    expect(ok.messages[0]).toMatchObject({ connectionStatus: { status: 'SUCCEEDED' } });
    const bad = await run('check', { config: { ...db.config, database: 'ferry_no_such_db' } });
    expect(bad.code).toBe(0);
    expect(bad.messages[0]).toMatchObject({
      connectionStatus: {
        status: 'FAILED',
        message: expect.stringMatching(/Unknown database 'ferry_no_such_db'/),
      },
    });
  });

  it('discovers tables and views as <database>.<table>, types and primary keys', async () => {
    await people();
    await db.admin.query('CREATE VIEW names AS SELECT name FROM people');
    const r = await run('discover', { config: db.config });
    const streams = r.messages[0]?.type === 'CATALOG' ? r.messages[0].catalog.streams : [];
    const d = db.config.database;
    expect(streams.map((s) => s.name)).toEqual([`${d}.names`, `${d}.people`]);
    const table = streams.find((s) => s.name.endsWith('.people'))!;
    expect(table.supported_sync_modes).toEqual(['full_refresh', 'incremental']);
    expect(table.source_defined_primary_key).toEqual([['id']]);
    expect(table.json_schema.properties).toMatchObject({
      id: { type: 'integer' },
      name: { type: 'string' },
      score: { type: 'number' },
      ratio: { type: 'number' },
      active: { type: 'boolean' },
      flag: { type: 'boolean' },
      meta: { type: 'object' },
      born: { type: 'string', format: 'date' },
      seen: { type: 'string', format: 'date-time' },
      local_ts: { type: 'string', format: 'date-time' },
      n: { type: 'integer' },
      tiny: { type: 'integer' },
      raw: { type: 'string' },
      kind: { type: 'string' },
      at: { type: 'string', format: 'time' },
    });
  });

  it('reads a full refresh with values as the schema promises', async () => {
    await people();
    const stream = `${db.config.database}.people`;
    const r = await run('read', { config: db.config, catalog: configured(stream, 'full_refresh') });
    expect(r.code, r.stderr).toBe(0);
    const rows = data(r.messages).sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows[0]).toEqual({
      id: 1,
      name: 'Ada',
      score: 1.5,
      ratio: 0.25,
      active: true,
      flag: true,
      meta: { k: 1 },
      born: '1815-12-10',
      seen: '2020-01-02T03:04:05.123456Z',
      local_ts: '2020-01-02T03:04:05.500',
      n: 7,
      tiny: -3,
      raw: 'AP8=',
      kind: 'b',
      at: '10:11:12',
    });
    expect(Object.values(rows[1]!).filter((v) => v !== null)).toEqual([2]);
  });

  it('reads incrementally with checkpoints that lose no rows, and resumes after the cursor', async () => {
    await db.admin.query('CREATE TABLE events (id int PRIMARY KEY, ts int, at datetime(6))');
    // ts repeats three times, so checkpoints (every 10 000 rows) fall inside runs of equal cursor values.
    await db.admin.query(`INSERT INTO events
      WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 25000)
      SELECT n, n DIV 3, TIMESTAMP('2020-01-01') + INTERVAL n SECOND FROM g`);
    const stream = `${db.config.database}.events`;
    const catalog = configured(stream, 'incremental', ['ts']);
    const first = await run('read', { config: db.config, catalog });
    const rows = data(first.messages) as { id: number; ts: number }[];
    expect(rows).toHaveLength(25000);
    const checkpoints = states(first.messages).map(
      (s) => (s.streams as Record<string, { cursor: number }>)[stream]!.cursor,
    );
    expect(checkpoints).toEqual([3332, 6665, 8333]);
    const resumed = await run('read', { config: db.config, catalog, state: states(first.messages)[0] });
    expect(data(resumed.messages)).toHaveLength(rows.filter((r) => r.ts > 3332).length);

    await db.admin.query('INSERT INTO events VALUES (25001, 9000, NULL), (25002, 8333, NULL)');
    const next = await run('read', { config: db.config, catalog, state: states(first.messages).at(-1) });
    expect(data(next.messages)).toEqual([{ id: 25001, ts: 9000, at: null }]);

    // A date-time cursor goes back to the server in its own form.
    const byTime = configured(stream, 'incremental', ['at']);
    const timed = await run('read', {
      config: db.config,
      catalog: byTime,
      state: { streams: { [stream]: { cursor_field: ['at'], cursor: '2020-01-01T06:56:39.000000' } } },
    });
    expect(data(timed.messages).map((r) => r.id)).toEqual([25000]);
  });

  it('streams a table far larger than its buffer without holding it', async () => {
    await db.admin.query('CREATE TABLE wide (id int PRIMARY KEY, pad varchar(1000))');
    await db.admin.query(`INSERT INTO wide
      WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 50000)
      SELECT n, REPEAT('x', 1000) FROM g`);
    const r = await run('read', {
      config: db.config,
      catalog: configured(`${db.config.database}.wide`, 'full_refresh'),
    });
    expect(r.code).toBe(0);
    expect(data(r.messages)).toHaveLength(50000);
  });

  it('fails on an unknown stream or a missing cursor field', async () => {
    await people();
    const d = db.config.database;
    const unknown = await run('read', {
      config: db.config,
      catalog: configured(`${d}.nope`, 'full_refresh'),
    });
    expect(unknown.code).toBe(1);
    const noCursor = await run('read', {
      config: db.config,
      catalog: configured(`${d}.people`, 'incremental'),
    });
    expect(noCursor.code).toBe(1);
    expect(noCursor.messages.at(-1)).toMatchObject({
      log: { message: expect.stringMatching(/needs a cursor_field/) },
    });
  });
});
