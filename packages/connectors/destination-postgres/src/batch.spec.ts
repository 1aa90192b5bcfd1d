import { describe, expect, it } from 'vitest';
import { StreamBatch } from './batch.ts';
import { typedValue } from '@ferry/protocol';
import { copyText, textField } from './copy-text.ts';
import { emittedAtOf } from './raw-rows.ts';
import { streamTable } from './tables.ts';
import type { TypedBatch } from './typed-rows.ts';

const properties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  score: { type: 'number' },
  ok: { type: 'boolean' },
  meta: { type: 'object' },
};
const table = (destination_sync_mode: string) =>
  streamTable('public', {
    stream: { name: 'people', json_schema: { type: 'object', properties } },
    sync_mode: 'incremental',
    destination_sync_mode,
    primary_key: [['id']],
  } as never);
const at = '2020-01-01T00:00:00.000Z';
const emitted = emittedAtOf(Date.parse(at));
const id = (n: number) => Buffer.alloc(16, n);

/** The rows of a binary COPY, each a list of its fields' bytes (null for NULL). */
function binaryRows(copy: Buffer): (Buffer | null)[][] {
  if (copy.length === 0) return [];
  expect(copy.subarray(0, 19).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0');
  const rows: (Buffer | null)[][] = [];
  let at = 19;
  for (let fields = copy.readInt16BE(at); fields !== -1; fields = copy.readInt16BE(at)) {
    at += 2;
    const row: (Buffer | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const length = copy.readInt32BE(at);
      at += 4 + Math.max(length, 0);
      row.push(length === -1 ? null : copy.subarray(at - length, at));
    }
    rows.push(row);
  }
  expect(at + 2).toBe(copy.length);
  return rows;
}
const isoOf = (micros: Buffer) =>
  new Date(Number(micros.readBigInt64BE() / 1000n) + Date.UTC(2000, 0, 1)).toISOString();

/** The raw table's rows, each field as text: the uuid in hex, the jsonb's JSON, emitted_at as ISO. */
function rawRows(copy: Buffer): string[][] {
  return binaryRows(copy).map((row) => {
    expect(row).toHaveLength(3);
    const [uuid, data, micros] = row as Buffer[];
    return [uuid!.toString('hex'), jsonbText(data!), isoOf(micros!)];
  });
}

/** jsonb's binary field: its version byte, then the JSON text. */
function jsonbText(field: Buffer): string {
  expect(field[0]).toBe(1);
  return field.subarray(1).toString('utf8');
}

/** The typed table's binary rows of the spec's columns (id, name, score, ok, meta), each field decoded. */
function typedRows(copy: Buffer): unknown[][] {
  return binaryRows(copy).map((row) => {
    expect(row).toHaveLength(7);
    const [uuid, id, name, score, ok, meta, micros] = row;
    const or = <T>(field: Buffer | null | undefined, read: (b: Buffer) => T) => (field ? read(field) : null);
    return [
      uuid!.toString('hex'),
      or(id, (b) => b.readBigInt64BE()),
      or(name, (b) => b.toString('utf8')),
      or(score, (b) => b.readDoubleBE()),
      or(ok, (b) => b[0] === 1),
      or(meta, (b) => jsonbText(b)),
      isoOf(micros!),
    ];
  });
}
const text = (lines: { raw: Buffer; typed: TypedBatch }) => ({
  raw: rawRows(lines.raw),
  typed: typedRows(lines.typed.rows),
});

describe('COPY text fields', () => {
  it('escapes what COPY reads specially and nothing else', () => {
    expect(copyText('plain "text", with commas')).toBe('plain "text", with commas');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('types values as the typed table takes them: other types become null or JSON text', () => {
    const copyField = (kind: Parameters<typeof typedValue>[0], value: unknown) =>
      textField(typedValue(kind, value));
    expect(copyField('integer', 3.9)).toBe('3');
    expect(copyField('integer', '12')).toBe('12');
    expect(copyField('integer', 'x')).toBe('\\N');
    expect(copyField('number', 1 / 7)).toBe(String(1 / 7));
    expect(copyField('boolean', false)).toBe('f');
    expect(copyField('boolean', 'true')).toBe('t');
    expect(copyField('boolean', 1)).toBe('\\N');
    expect(copyField('string', 2)).toBe('2');
    expect(copyField('string', undefined)).toBe('\\N');
    expect(copyField('json', { a: 'x\\y' })).toBe('{"a":"x\\\\\\\\y"}');
  });
});

describe('StreamBatch', () => {
  it('gathers a raw row and a binary typed row per record, in order, and starts afresh after take', () => {
    const batch = new StreamBatch(table('append'), true);
    batch.add(id(1), { id: 1, name: 'a\tb é', extra: true }, emitted);
    batch.add(id(2), { id: -(2 ** 40), score: 0.5, ok: true, meta: [1] }, emitted);
    expect(batch.size).toBe(2);
    expect(text(batch.take())).toEqual({
      raw: [
        ['01'.repeat(16), '{"id":1,"name":"a\\tb é","extra":true}', at],
        ['02'.repeat(16), '{"id":-1099511627776,"score":0.5,"ok":true,"meta":[1]}', at],
      ],
      typed: [
        ['01'.repeat(16), 1n, 'a\tb é', null, null, null, at],
        ['02'.repeat(16), -(2n ** 40n), null, 0.5, true, '[1]', at],
      ],
    });
    expect(batch.size).toBe(0);
    expect(text(batch.take())).toEqual({ raw: [], typed: [] });
  });

  it('puts in binary rows what the server read from the text: doubles, -0, integers beyond 2^53', () => {
    const batch = new StreamBatch(table('append'), true);
    const scores = [1 / 7, -0, 5e-324, -1.7976931348623157e308, 1e21];
    for (const [n, score] of scores.entries()) batch.add(id(n), { score }, emitted);
    // The text of each integer as the server's bigint input read it: String(n), not n's exact value.
    const ids = [2 ** 53 + 2, 2 ** 64 / 3, -1.5 * 2 ** 62, 9.2e18];
    for (const [n, i] of ids.entries()) batch.add(id(n), { id: i }, emitted);
    const { typed } = text(batch.take());
    expect(typed.slice(0, 5).map((r) => r[3])).toEqual(scores.map((x) => Number(String(x))));
    expect(Object.is(typed[1]![3], 0)).toBe(true);
    expect(typed.slice(5).map((r) => r[1])).toEqual(ids.map((i) => BigInt(String(i))));
    expect(BigInt(String(2 ** 64 / 3))).not.toBe(BigInt(2 ** 64 / 3));
  });

  it('ends the binary rows before the first with an integer the server cannot read as a bigint, kept as text', () => {
    const batch = new StreamBatch(table('append'), true);
    batch.add(id(1), { id: 1 }, emitted);
    batch.add(id(2), { id: 2 ** 63, name: 'n' }, emitted);
    batch.add(id(3), { id: 1e21 }, emitted);
    const taken = batch.take();
    expect(typedRows(taken.typed.rows)).toEqual([['01'.repeat(16), 1n, null, null, null, null, at]]);
    expect(taken.typed.failing?.toString()).toBe(
      `${'02'.repeat(16)}\t9223372036854776000\tn\t\\N\t\\N\t\\N\t${at}\n`,
    );
    batch.add(id(4), { id: -1e21 }, emitted);
    const first = batch.take().typed;
    expect(typedRows(first.rows)).toEqual([]);
    expect(first.failing?.toString()).toMatch(/^(04){16}\t-1e\+21\t/);
    batch.add(id(5), { id: -(2 ** 63) }, emitted); // prints as -9223372036854776000
    expect(batch.take().typed.failing?.toString()).toMatch(/^(05){16}\t-9223372036854776000\t/);
    batch.add(id(6), { id: 2 ** 62 }, emitted);
    expect(batch.take().typed.failing).toBeUndefined();
  });

  it('writes text lines instead when the typed table has other column types', () => {
    const batch = new StreamBatch(table('append'), false);
    batch.add(id(1), { id: 1, name: 'a\tb é', extra: true }, emitted);
    batch.add(id(2), { id: 1e21, score: 0.5, ok: true, meta: [1] }, emitted);
    const { raw, typed } = batch.take();
    expect(rawRows(raw)).toHaveLength(2);
    expect(typed.rows.toString('utf8')).toBe(
      `${'01'.repeat(16)}\t1\ta\\tb é\t\\N\t\\N\t\\N\t${at}\n${'02'.repeat(16)}\t1e+21\t\\N\t0.5\tt\t[1]\t${at}\n`,
    );
    expect(typed.failing).toBeUndefined();
  });

  it('with append_dedup keeps the newest typed row of each key and counts records without a key', () => {
    const batch = new StreamBatch(table('append_dedup'), true);
    batch.add(id(1), { id: 1, name: 'one' }, emitted);
    batch.add(id(2), { id: 2, name: 'two' }, emitted);
    batch.add(id(3), { id: '1', name: 'one again' }, emitted);
    batch.add(id(4), { name: 'no key' }, emitted);
    batch.add(id(5), { id: 1e21, name: 'never sent' }, emitted);
    batch.add(id(6), { id: 1e21, name: 'the newest of its key' }, emitted);
    expect(batch.keyless).toBe(1);
    const taken = batch.take();
    const { raw, typed } = text(taken);
    expect(raw).toHaveLength(6);
    expect(typed).toEqual([
      ['03'.repeat(16), 1n, 'one again', null, null, null, at],
      ['02'.repeat(16), 2n, 'two', null, null, null, at],
    ]);
    expect(taken.typed.failing?.toString()).toBe(
      `${'06'.repeat(16)}\t1e+21\tthe newest of its key\t\\N\t\\N\t\\N\t${at}\n`,
    );
  });
});
