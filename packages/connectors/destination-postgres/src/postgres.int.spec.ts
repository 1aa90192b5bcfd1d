import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readMessages, record, state } from '@ferry/protocol';
import { runConnectorProcess } from '@ferry/protocol/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest } from './index.ts';
import { BATCH_ROWS } from './write.ts';

const schema = `ferry_dst_${process.pid}_${Date.now()}`;
const config = { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres', schema };
const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });

const stream = (name: string, sync_mode: string, destination_sync_mode?: string) => ({
  stream: { name, json_schema: {} },
  sync_mode,
  ...(destination_sync_mode ? { destination_sync_mode } : {}),
});
const write = (catalog: unknown, stdin: ReturnType<typeof record | typeof state>[]) =>
  runConnectorProcess(manifest.entryPoint, 'write', { config, catalog, stdin });
const rows = async (table: string) =>
  (
    await admin.query(
      `SELECT _airbyte_data AS d, _airbyte_emitted_at AS t FROM ${schema}.${table} ORDER BY _airbyte_emitted_at`,
    )
  ).rows;
const data = async (table: string) => (await rows(table)).map((r) => r.d);
const primaryKey = async (table: string) =>
  (
    await admin.query(
      `SELECT a.attname AS name FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indisprimary AND i.indrelid = $1::regclass`,
      [`${schema}.${table}`],
    )
  ).rows.map((r) => r.name);

beforeAll(() => admin.connect());
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('destination-postgres', () => {
  it('checks the connection and the right to create tables', async () => {
    const ok = await runConnectorProcess(manifest.entryPoint, 'check', { config });
    expect(ok.messages[0]).toMatchObject({ connectionStatus: { status: 'SUCCEEDED' } });
    const bad = await runConnectorProcess(manifest.entryPoint, 'check', {
      config: { ...config, username: 'ferry_nobody' },
    });
    expect(bad.messages[0]).toMatchObject({
      connectionStatus: { status: 'FAILED', message: 'role "ferry_nobody" does not exist' },
    });
  });

  it('overwrites on full refresh, appends on incremental, and echoes each state', async () => {
    const catalog = { streams: [stream('public.users', 'full_refresh'), stream('events', 'incremental')] };
    const first = await write(catalog, [
      record('public.users', { id: 1 }, 1_600_000_000_000),
      record('events', { n: 1 }, 1_600_000_000_001),
      state({ c: 1 }),
      record('events', { n: 2 }, 1_600_000_000_002),
      state({ c: 2 }),
    ]);
    expect(first).toMatchObject({ code: 0, messages: [state({ c: 1 }), state({ c: 2 })] });
    expect((await rows('_airbyte_raw_public_users'))[0]?.t).toEqual(new Date(1_600_000_000_000));

    const second = await write(catalog, [record('public.users', { id: 2 }), record('events', { n: 3 })]);
    expect(second.code).toBe(0);
    expect(await data('_airbyte_raw_public_users')).toEqual([{ id: 2 }]);
    // The overwritten raw table gets its key at the swap: it ends up keyed as an appended one.
    for (const table of ['_airbyte_raw_public_users', '_airbyte_raw_events'])
      expect(await primaryKey(table)).toEqual(['_airbyte_ab_id']);
    expect(await data('_airbyte_raw_events')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const reset = await write({ streams: [stream('public.users', 'full_refresh', 'overwrite')] }, []);
    expect(reset.code).toBe(0);
    expect(await data('_airbyte_raw_public_users')).toEqual([]);
  });

  it('deduplicates on the primary key with append_dedup into a typed table; the newest row of a key wins', async () => {
    const properties = { id: { type: 'integer' }, name: { type: 'string' }, meta: { type: 'object' } };
    const people = (primary_key: string[][]) => ({
      streams: [
        {
          stream: { name: 'people', json_schema: { type: 'object', properties } },
          sync_mode: 'incremental',
          destination_sync_mode: 'append_dedup',
          primary_key,
        },
      ],
    });
    const first = await write(people([['id']]), [
      record('people', { id: 1, name: 'one', meta: { a: 1 } }),
      record('people', { id: 2, name: 'two' }),
      record('people', { id: 1, name: 'one again' }),
      state({ at: 1 }),
    ]);
    expect(first.code, first.stderr).toBe(0);
    const second = await write(people([['id']]), [
      record('people', { id: 2, name: 2 }),
      record('people', { name: 'x' }),
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.messages).toContainEqual(
      expect.objectContaining({
        log: expect.objectContaining({ message: expect.stringMatching(/1 records .* no primary key/) }),
      }),
    );
    const typed = await admin.query(`SELECT id, name, meta FROM ${schema}.people ORDER BY id`);
    expect(typed.rows).toEqual([
      { id: '1', name: 'one again', meta: null },
      { id: '2', name: '2', meta: null },
    ]);
    expect(await data('_airbyte_raw_people')).toHaveLength(5);
    const rekeyed = await write(people([['name']]), []);
    expect(rekeyed.code).toBe(1);
    expect(rekeyed.messages.at(-1)).toMatchObject({
      log: { message: expect.stringMatching(/reset the connection/) },
    });
  });

  it('writes a stream with a namespace into the schema of that name', async () => {
    const namespace = `${schema}_ns`;
    const r = await write(
      { streams: [{ stream: { name: 'things', namespace, json_schema: {} }, sync_mode: 'full_refresh' }] },
      [record('things', { id: 1 })],
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = await admin.query(`SELECT _airbyte_data AS d FROM ${namespace}._airbyte_raw_things`);
    expect(rows.rows.map((x) => x.d)).toEqual([{ id: 1 }]);
    await admin.query(`DROP SCHEMA ${namespace} CASCADE`);
  });

  it('stores raw data and emitted_at as sent, and fails on an emitted_at the server cannot read as text', async () => {
    const catalog = { streams: [stream('odd', 'incremental')] };
    const odd = { s: 'tab\t nl\n cr\r bs\\ é 😀 "q" \\N', n: 1.5, big: 2 ** 60, nested: { a: [null, true] } };
    const ok = await write(catalog, [record('odd', odd, 1_600_000_000_123), state({ at: 1 })]);
    expect(ok.code).toBe(0);
    expect(await rows('_airbyte_raw_odd')).toEqual([{ d: odd, t: new Date(1_600_000_000_123) }]);
    const far = await write(catalog, [record('odd', { n: 2 }, Date.UTC(10_000, 0, 1)), state({ at: 2 })]);
    expect(far.code).toBe(1);
    expect(far.messages.at(-1)).toMatchObject({
      log: { message: 'time zone displacement out of range: "+010000-01-01T00:00:00.000Z"' },
    });
    expect(await data('_airbyte_raw_odd')).toEqual([odd]);
  });

  it('writes in batches', async () => {
    const count = 2 * BATCH_ROWS + 345;
    const many = Array.from({ length: count }, (_, i) => record('bulk', { i }));
    const r = await write({ streams: [stream('bulk', 'full_refresh')] }, [...many, state({ done: true })]);
    expect(r.messages).toEqual([state({ done: true })]);
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}._airbyte_raw_bulk`)).rows[0].n).toBe(
      count,
    );
  });

  it('fails when the server rejects a batch, keeping only what was acknowledged', async () => {
    const properties = { id: { type: 'integer' } };
    const catalog = {
      streams: [
        { stream: { name: 'strict', json_schema: { type: 'object', properties } }, sync_mode: 'incremental' },
      ],
    };
    // 1e20 does not fit the typed table's bigint column.
    const r = await write(catalog, [
      record('strict', { id: 1 }),
      state({ at: 1 }),
      record('strict', { id: 1e20 }),
      state({ at: 2 }),
    ]);
    expect(r.code).toBe(1);
    expect(r.messages.filter((m) => m.type === 'STATE')).toEqual([state({ at: 1 })]);
    expect(await data('_airbyte_raw_strict')).toEqual([{ id: 1 }]);
  });

  it('appends typed rows in binary, and as text into a typed table whose column types were changed', async () => {
    const properties = { id: { type: 'integer' }, score: { type: 'number' } };
    const catalog = {
      streams: [
        { stream: { name: 'scores', json_schema: { type: 'object', properties } }, sync_mode: 'incremental' },
      ],
    };
    const scores = async () =>
      (await admin.query(`SELECT id::text, score::text FROM ${schema}.scores ORDER BY id`)).rows;
    const first = await write(catalog, [record('scores', { id: 2 ** 62, score: 1 / 3 }), state({ at: 1 })]);
    expect(first.code, first.stderr).toBe(0);
    await admin.query(
      `ALTER TABLE ${schema}.scores ALTER COLUMN score TYPE numeric, ALTER COLUMN id TYPE text`,
    );
    const second = await write(catalog, [record('scores', { id: 1e21, score: 0.1 }), state({ at: 2 })]);
    expect(second.code, second.stderr).toBe(0);
    expect(await scores()).toEqual([
      { id: '1e+21', score: '0.1' },
      // 2^62 stored as the bigint its text String(2 ** 62) reads as, as when the typed rows were text.
      { id: '4611686018427388000', score: '0.333333333333333' },
    ]);
  });

  it('commits before echoing a state; a killed sync keeps the acknowledged rows and the old overwritten table', async () => {
    await write({ streams: [stream('kept', 'full_refresh')] }, [record('kept', { old: true })]);
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-dst-pg-'));
    await writeFile(path.join(dir, 'c.json'), JSON.stringify(config));
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
    for (let i = 0; i < 10; i++) send(record(i % 2 ? 'kept' : 'log', { i }));
    send(state({ at: 10 }));
    send(record('log', { after: true }));
    for await (const line of readMessages(child.stdout)) {
      if (line.kind === 'message' && line.message.type === 'STATE') break;
    }
    expect(await data('_airbyte_raw_log')).toHaveLength(5);
    const exited = new Promise((r) => child.on('close', r));
    child.kill('SIGKILL');
    await exited;
    expect(await data('_airbyte_raw_kept')).toEqual([{ old: true }]);
    expect(await data('_airbyte_raw_log')).toHaveLength(5);
    await rm(dir, { recursive: true, force: true });

    const again = await write({ streams: [stream('kept', 'full_refresh')] }, [record('kept', { new: true })]);
    expect(again.code).toBe(0);
    expect(await data('_airbyte_raw_kept')).toEqual([{ new: true }]);
  });
});
