import { connect } from '@ferry/postgres-common';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRecordLines } from './copy-read.ts';
import { fetchBatches } from './fetch.ts';
import { RecordLines } from './record-lines.ts';
import { readTypes } from './types.ts';

const schema = `ferry_copy_${process.pid}_${Date.now()}`;
const config = { host: '127.0.0.1', port: 5432, database: 'test', username: 'postgres' };
let client: pg.Client;

/** Every type the source reads, with the values whose text needs care: escapes, extremes, specials, NULL. */
const COLUMNS = `s smallint, i integer, b bigint, n numeric, r real, d double precision, ok boolean,
  t text, v varchar(9), c char(3), nm name, u uuid, day date, ts timestamp, tz timestamptz, tm time,
  ttz timetz, iv interval, by bytea, j json, jb jsonb, tags text[], nums int[], docs jsonb[], p point,
  m money, ip inet, o oid`;
const ROWS = [
  `(-32768, 2147483647, 9007199254740993, 123456789012345678901234567890.5, 3.4e38, 1e21, true,
    e'tab\\t nl\\n cr\\r bs\\\\ bel\\b ff\\f nul-less é 😀 \\\\N' || chr(11) || chr(1), 'ab', 'x', 'name', gen_random_uuid(),
    'infinity', '2020-01-02 03:04:05.123456', '2020-01-02 03:04:05.5+02', '03:04:05', '03:04:05+01',
    '1 day 02:03:04', '\\x00ff5c0a', '{ "a" : [1, 2.50], "a": "dup" }', '{"k": {"z": 1, "a": null}}',
    '{a,"b c","d\\"e",NULL}', '{1,2,3}', ARRAY['{"x":1}'::jsonb], '(1.5,2)', 12.34, '10.0.0.1/8', 42)`,
  `(0, -1, -9223372036854775808, 'NaN', '-0', '-0', false, '', '', '', '', NULL, '1815-12-10',
    '-infinity', '0044-03-15 12:00:00+00 BC', NULL, NULL, '-1 year', '', 'null', '"text"', '{}', '{}', '{}',
    NULL, -1, '::1', 0)`,
  `(1, 2, 3, 'Infinity', 'NaN', 'Infinity', NULL, '\\N', NULL, NULL, NULL, NULL, NULL, 'infinity',
    'infinity', NULL, NULL, NULL, NULL, '[]', '[1e400]', NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  `(NULL, NULL, NULL, 1e-7, 1e-7, 5e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
];

/** The lines the cursor's row objects print, and the lines the COPY reader prints, of one query. */
async function bothWays(sql: string) {
  const records = new RecordLines('s');
  let cursor = '';
  for await (const rows of fetchBatches(client, sql, [])) cursor += records.lines(rows, 1);
  let copied = '';
  const copy = copyRecordLines(client, sql, records, readTypes);
  let next = await copy.next();
  for (; !next.done; next = await copy.next())
    copied += next.value.toString('utf8').replace(/"emitted_at":\d+/g, '"emitted_at":1');
  return { cursor, copied, copiedByCopy: next.value };
}

beforeAll(async () => {
  client = await connect(config, 'ferry-test', readTypes);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE ${schema}.all_types (${COLUMNS})`);
  await client.query(`INSERT INTO ${schema}.all_types VALUES ${ROWS.join(', ')}`);
  await client.query(`CREATE TABLE ${schema}.many (id int, name text)`);
  await client.query(
    `INSERT INTO ${schema}.many SELECT g, repeat('é', g % 50) FROM generate_series(1, 30000) g`,
  );
  // Rows of a few bytes whose lines are hundreds: each chunk's lines outgrow the room first made for them.
  await client.query(`CREATE TABLE ${schema}.wide_names ("${'k'.repeat(60)}" int, "${'é'.repeat(60)}" bool)`);
  await client.query(
    `INSERT INTO ${schema}.wide_names SELECT g % 10, g % 2 = 0 FROM generate_series(1, 5000) g`,
  );
  await client.query(`CREATE TABLE ${schema}.odd ("10" int, "__proto__" text)`);
  await client.query(`INSERT INTO ${schema}.odd VALUES (1, 'p')`);
});
afterAll(async () => {
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
});

describe('copyRecordLines', () => {
  it('prints every type the bytes the cursor rows print', async () => {
    const { cursor, copied, copiedByCopy } = await bothWays(`SELECT * FROM ${schema}.all_types`);
    expect(copiedByCopy).toBe(true);
    expect(cursor.split('\n')).toHaveLength(ROWS.length + 1);
    expect(copied).toBe(cursor);
  });

  it('prints rows split across the chunks the server sends, in order', async () => {
    const { cursor, copied } = await bothWays(`SELECT * FROM ${schema}.many`);
    expect(cursor.split('\n')).toHaveLength(30001);
    expect(copied).toBe(cursor);
  });

  it('prints lines many times longer than their rows', async () => {
    const { cursor, copied } = await bothWays(`SELECT * FROM ${schema}.wide_names`);
    expect(cursor.split('\n')).toHaveLength(5001);
    expect(copied).toBe(cursor);
  });

  it('fails with the error of the server when a row fails mid-copy, leaving the session usable', async () => {
    const failing = copyRecordLines(
      client,
      `SELECT 1 / (id - 20000) AS x FROM ${schema}.many`,
      new RecordLines('s'),
      readTypes,
    );
    await expect(
      (async () => {
        for await (const _ of failing);
      })(),
    ).rejects.toThrow('division by zero');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('abandoned mid-copy, lets its session close at once', async () => {
    const own = await connect(config, 'ferry-test', readTypes);
    const copy = copyRecordLines(own, `SELECT * FROM ${schema}.many`, new RecordLines('s'), readTypes);
    expect((await copy.next()).done).toBe(false);
    await copy.return(false);
    await own.end();
  });

  it('leaves columns an object would reorder to the cursor', async () => {
    const { cursor, copied, copiedByCopy } = await bothWays(`SELECT * FROM ${schema}.odd`);
    expect(copiedByCopy).toBe(false);
    expect(copied).toBe('');
    expect(cursor).toContain('"10":1');
  });
});
