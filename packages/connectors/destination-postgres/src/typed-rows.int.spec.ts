import { connect } from '@ferry/postgres-common';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamBatch } from './batch.ts';
import { RecordIds } from './ids.ts';
import { StreamLoader } from './load.ts';
import { emittedAtOf } from './raw-rows.ts';
import { prepare, streamTable } from './tables.ts';

const schema = `ferry_typed_${process.pid}_${Date.now()}`;
const server = { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' };
/** A column of each kind: i bigint, n double precision, b boolean, s text, j jsonb. */
const types = { i: 'integer', n: 'number', b: 'boolean', s: 'string', j: 'object' };
const properties = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
const table = (name: string, mode = 'append') =>
  streamTable(schema, {
    stream: { name, json_schema: { type: 'object', properties } },
    sync_mode: 'incremental',
    destination_sync_mode: mode,
    primary_key: [['i']],
  } as never);

let client: pg.Client;
let loads = 0;
beforeAll(async () => {
  client = await connect(server, 'ferry-typed-rows-spec');
});
afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

/**
 * Loads `records` into a fresh typed table of stream `name` in COPY's binary or text format (the text one is
 * what every typed table took before), in one transaction; resolves to the table's rows as the server prints
 * them, or rejects with the server's error.
 */
async function load(name: string, binary: boolean, records: Record<string, unknown>[], mode = 'append') {
  const t = table(name, mode);
  await prepare(client, [t]);
  const loader = new StreamLoader(client, t, loads++, binary);
  await loader.prepare();
  const batch = new StreamBatch(t, binary);
  const ids = new RecordIds();
  const emitted = emittedAtOf(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  for (const data of records) batch.add(ids.take(), data, emitted);
  await client.query('BEGIN');
  try {
    await loader.load(batch.take());
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  // Each value as the server prints it (a double's shortest text, -0 as "-0"), emitted_at included.
  const { rows } = await client.query(
    `SELECT i::text, n::text, b::text, s, j::text, _airbyte_emitted_at::text AS t FROM ${t.typedWriteTo} ORDER BY 1, 2, 3, 4, 5`,
  );
  const { rows: strays } = await client.query(
    `SELECT _airbyte_ab_id FROM ${t.typedWriteTo} EXCEPT SELECT _airbyte_ab_id FROM ${t.writeTo}`,
  );
  if (strays.length > 0) throw new Error('a typed row without its raw row');
  return rows;
}

const both = async (name: string, records: Record<string, unknown>[], mode?: string) => {
  const text = await load(`${name}_text`, false, records, mode).catch((e: Error) => e.message);
  const binary = await load(`${name}_binary`, true, records, mode).catch((e: Error) => e.message);
  return { text, binary };
};

describe('typed rows in binary', () => {
  it('hold what the text lines held, value for value, at the edges of each type', async () => {
    const integers = [
      0,
      -0.5,
      1,
      -1,
      3.9,
      -3.9,
      2 ** 31,
      2 ** 32 + 1,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
      2 ** 53 + 2,
    ];
    const beyond = [2 ** 62, 2 ** 64 / 3, -1.5 * 2 ** 62, 9.2e18, 2 ** 63 - 2 ** 10, -(2 ** 63) + 2 ** 11];
    const numbers = [
      0,
      -0,
      1 / 7,
      0.1,
      1e-7,
      5e-324,
      2.2250738585072014e-308,
      1.7976931348623157e308,
      -1e21,
      123456789012345680000,
    ];
    const strings = ['', 'plain', 'tab\t nl\n cr\r bs\\ é 😀 "q" \\N', '\\.', '\\', 'x'.repeat(70_000)];
    const records: Record<string, unknown>[] = [
      ...[...integers, ...beyond].map((i) => ({ i })),
      ...['12', ' 0x1A ', '1e3', '', 'x', Number.NaN, Number.POSITIVE_INFINITY, true, {}].map((i) => ({ i })),
      ...numbers.map((n) => ({ n })),
      ...['1e3', ' 7 ', 'x', Number.NaN, false, null].map((n) => ({ n })),
      ...[true, false, 'true', 'false', 1, 0, 'yes', null].map((b) => ({ b })),
      ...[...strings, 2, -0, 1e21, true, { a: [1, 'x\\y'] }, ['é']].map((s) => ({ s })),
      ...[{ a: [1, 'x\\y', null] }, 'text', 5, -0, [], {}, 'é 😀', { 'k\tk': 'v\nv' }, null].map((j) => ({
        j,
      })),
      {},
    ];
    const { text, binary } = await both('edges', records);
    expect(Array.isArray(text), String(text)).toBe(true);
    expect(binary).toEqual(text);
    expect((text as unknown[]).length).toBe(records.length);
  });

  it('with append_dedup, hold the newest row of each key as the text lines did', async () => {
    const records = [
      { i: 1, s: 'one' },
      { i: 2 ** 62, s: 'big' },
      { i: '1', s: 'one again', n: -0 },
      { s: 'no key' },
    ];
    const { text, binary } = await both('dedup', records, 'append_dedup');
    expect(binary).toEqual(text);
    expect(Array.isArray(text), String(text)).toBe(true);
    expect((text as unknown[]).length).toBe(2);
  });

  it('fail with the error the text lines failed with', async () => {
    // A NUL anywhere in a record fails its raw row first (jsonb takes no \u0000): only integers fail typed rows.
    const nul = 'unsupported Unicode escape sequence';
    const over = (text: string) => `value "${text}" is out of range for type bigint`;
    const syntax = (text: string) => `invalid input syntax for type bigint: "${text}"`;
    for (const [name, records, error] of [
      ['over', [{ i: 1 }, { i: 2 ** 63 }, { i: 1e21 }], over('9223372036854776000')],
      ['under', [{ i: -(2 ** 63) }], over('-9223372036854776000')],
      ['exponent', [{ i: -1e21 }], syntax('-1e+21')],
      ['nul', [{ s: 'a\0b' }], nul],
      ['nul_json', [{ j: { k: 'a\0b' } }], nul],
      ['dedup_over', [{ i: 1e21, s: 'x' }], syntax('1e+21')],
      // The first failing row in the batch's order gives the error.
      ['nul_then_over', [{ i: 1 }, { s: 'a\0b' }, { i: 1e21 }], nul],
      ['over_then_nul', [{ i: 1 }, { i: 1e21 }, { s: 'a\0b' }], nul],
      ['two_overs', [{ i: 1 }, { i: -1e21 }, { i: 2 ** 63 }], syntax('-1e+21')],
      ['dedup_nul_then_over', [{ i: 1, s: 'a\0b' }, { i: 2 ** 64 }], nul],
    ] as const) {
      const mode = name.startsWith('dedup') ? 'append_dedup' : 'append';
      const { text, binary } = await both(name, [...records], mode);
      expect(text, name).toBe(error);
      expect(binary, name).toBe(text);
    }
  });

  it('are taken only by a typed table whose columns have the types Ferry creates', async () => {
    expect(await prepare(client, [table('fresh')])).toEqual([true]);
    expect(await prepare(client, [table('fresh')])).toEqual([true]);
    await client.query(`ALTER TABLE ${table('fresh').typed} DROP COLUMN n`);
    expect(await prepare(client, [table('fresh')])).toEqual([true]); // the column is added again, as a double
    await client.query(`ALTER TABLE ${table('fresh').typed} ALTER COLUMN n TYPE numeric`);
    expect(await prepare(client, [table('fresh')])).toEqual([false]);
  });
});
