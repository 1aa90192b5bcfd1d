import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@ferry/mysql-common/testing';
import { readMessages, record, state } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import type { RowDataPacket } from 'mysql2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifest } from './index.ts';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase('ferry_dst_mysql');
});
afterEach(() => db.drop());

const properties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  score: { type: 'number' },
  ok: { type: 'boolean' },
  meta: { type: 'object' },
};
const stream = (
  name: string,
  sync_mode: string,
  destination_sync_mode?: string,
  primary_key?: string[][],
) => ({
  stream: { name, json_schema: { type: 'object', properties } },
  sync_mode,
  ...(destination_sync_mode ? { destination_sync_mode } : {}),
  ...(primary_key ? { primary_key } : {}),
});
const write = (catalog: unknown, stdin: ReturnType<typeof record | typeof state>[]) =>
  runConnectorProcess(manifest.entryPoint, 'write', { config: db.config, catalog, stdin });
const select = async (sql: string) => (await db.admin.query<RowDataPacket[]>(sql))[0];
const raw = async (table: string) =>
  (await select(`SELECT _airbyte_data AS d FROM _airbyte_raw_${table} ORDER BY _airbyte_emitted_at, d`)).map(
    // The driver parses JSON columns itself where the server marks them (MariaDB's extended metadata).
    (r) => (typeof r.d === 'string' ? JSON.parse(r.d) : r.d),
  );

describe('destination-mysql (against MariaDB)', () => {
  it('checks the connection and the right to create tables', async () => {
    const ok = await runConnectorProcess(manifest.entryPoint, 'check', { config: db.config });
    expect(ok.messages[0]).toMatchObject({ connectionStatus: { status: 'SUCCEEDED' } });
    const bad = await runConnectorProcess(manifest.entryPoint, 'check', {
      config: { ...db.config, username: 'ferry_nobody' },
    });
    expect(bad.messages[0]).toMatchObject({
      connectionStatus: {
        status: 'FAILED',
        message: expect.stringMatching(/Access denied for user 'ferry_nobody'/),
      },
    });
  });

  it('overwrites on full refresh, appends on incremental, typed columns beside the raw JSON', async () => {
    const catalog = { streams: [stream('public.users', 'full_refresh'), stream('events', 'incremental')] };
    const first = await write(catalog, [
      record(
        'public.users',
        { id: 1, name: 'Ada', score: 1.5, ok: true, meta: { k: [1] } },
        1_600_000_000_000,
      ),
      record('events', { id: 1 }, 1_600_000_000_001),
      state({ c: 1 }),
      record('events', { id: 2, name: 7 }, 1_600_000_000_002),
      state({ c: 2 }),
    ]);
    expect(first, first.stderr).toMatchObject({ code: 0, messages: [state({ c: 1 }), state({ c: 2 })] });
    expect(
      await select('SELECT id, name, score, ok, meta, _airbyte_emitted_at AS t FROM public_users'),
    ).toEqual([{ id: 1, name: 'Ada', score: 1.5, ok: 1, meta: { k: [1] }, t: '2020-09-13 12:26:40.000' }]);
    // A value of another type is kept as text in a string column, never a rejected row.
    expect(await select('SELECT id, name FROM events ORDER BY id')).toEqual([
      { id: 1, name: null },
      { id: 2, name: '7' },
    ]);

    const second = await write(catalog, [record('public.users', { id: 2 }), record('events', { id: 3 })]);
    expect(second.code).toBe(0);
    expect(await raw('public_users')).toEqual([{ id: 2 }]);
    expect(await select('SELECT id FROM public_users')).toEqual([{ id: 2 }]);
    expect(await raw('events')).toEqual([{ id: 1 }, { id: 2, name: 7 }, { id: 3 }]);

    const reset = await write({ streams: [stream('public.users', 'full_refresh', 'overwrite')] }, []);
    expect(reset.code).toBe(0);
    expect(await raw('public_users')).toEqual([]);
    expect(await select('SELECT * FROM public_users')).toEqual([]);
    expect(await select("SHOW TABLES LIKE '\\_airbyte\\_tmp%'")).toEqual([]);
  });

  it('deduplicates on the primary key with append_dedup: the newest row of a key wins', async () => {
    const catalog = { streams: [stream('people', 'incremental', 'append_dedup', [['id']])] };
    const first = await write(catalog, [
      record('people', { id: 1, name: 'one' }),
      record('people', { id: 2, name: 'two' }),
      record('people', { id: 1, name: 'one again' }),
      state({ at: 1 }),
    ]);
    expect(first.code, first.stderr).toBe(0);
    const second = await write(catalog, [
      record('people', { id: 2, name: 'two again' }),
      record('people', { name: 'no id' }),
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.messages).toContainEqual(
      expect.objectContaining({
        log: expect.objectContaining({ message: expect.stringMatching(/1 records .* no primary key/) }),
      }),
    );
    expect(await select('SELECT id, name FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'one again' },
      { id: 2, name: 'two again' },
    ]);
    expect(await raw('people')).toHaveLength(5);
    // A key the table was not built on is refused with the reason.
    const rekeyed = await write(
      { streams: [stream('people', 'incremental', 'append_dedup', [['name']])] },
      [],
    );
    expect(rekeyed.code).toBe(1);
    expect(rekeyed.messages.at(-1)).toMatchObject({
      log: { message: expect.stringMatching(/reset the connection/) },
    });
  });

  it('writes a stream with a namespace into the database of that name', async () => {
    const namespace = `${db.config.database}_ns`;
    try {
      const things = {
        ...stream('things', 'full_refresh'),
        stream: { name: 'things', namespace, json_schema: {} },
      };
      const r = await write({ streams: [things] }, [record('things', { id: 1 })]);
      expect(r.code, r.stderr).toBe(0);
      expect(await select(`SELECT count(*) AS n FROM \`${namespace}\`._airbyte_raw_things`)).toEqual([
        { n: 1 },
      ]);
    } finally {
      await db.admin.query(`DROP DATABASE IF EXISTS \`${namespace}\``);
    }
  });

  it('writes in batches', async () => {
    const many = Array.from({ length: 12_345 }, (_, i) => record('bulk', { id: i, name: 'x'.repeat(200) }));
    const r = await write({ streams: [stream('bulk', 'full_refresh')] }, [...many, state({ done: true })]);
    expect(r.messages).toEqual([state({ done: true })]);
    expect(await select('SELECT count(*) AS n FROM _airbyte_raw_bulk')).toEqual([{ n: 12_345 }]);
    expect(await select('SELECT count(*) AS n FROM bulk')).toEqual([{ n: 12_345 }]);
  });

  it('commits before echoing a state; a killed sync keeps the acknowledged rows and the old overwritten table', async () => {
    await write({ streams: [stream('kept', 'full_refresh')] }, [record('kept', { id: 0 })]);
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-dst-mysql-'));
    await writeFile(path.join(dir, 'c.json'), JSON.stringify(db.config));
    await writeFile(
      path.join(dir, 'k.json'),
      JSON.stringify({ streams: [stream('kept', 'full_refresh'), stream('log', 'incremental')] }),
    );
    const child = spawn(process.execPath, [
      manifest.entryPoint,
      'write',
      '--config',
      `${dir}/c.json`,
      '--catalog',
      `${dir}/k.json`,
    ]);
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    for (let i = 0; i < 10; i++) send(record(i % 2 ? 'kept' : 'log', { id: i }));
    send(state({ at: 10 }));
    send(record('log', { id: 99 }));
    for await (const line of readMessages(child.stdout)) {
      if (line.kind === 'message' && line.message.type === 'STATE') break;
    }
    expect(await raw('log')).toHaveLength(5);
    const exited = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await exited;
    expect(await raw('kept')).toEqual([{ id: 0 }]);
    expect(await raw('log')).toHaveLength(5);
    expect(await select('SELECT count(*) AS n FROM log')).toEqual([{ n: 5 }]);
    await rm(dir, { recursive: true, force: true });
  });
});
