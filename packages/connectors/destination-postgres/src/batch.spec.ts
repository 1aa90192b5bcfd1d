import { describe, expect, it } from 'vitest';
import { StreamBatch } from './batch.ts';
import { copyField, copyText } from './copy-text.ts';
import { emittedAtOf } from './raw-rows.ts';
import { streamTable } from './tables.ts';

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

/** The rows of a binary COPY of the raw table, each field as text: the uuid in hex, emitted_at as ISO. */
function rawRows(copy: Buffer): string[][] {
  if (copy.length === 0) return [];
  expect(copy.subarray(0, 19).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0');
  const rows: string[][] = [];
  let at = 19;
  for (let fields = copy.readInt16BE(at); fields !== -1; fields = copy.readInt16BE(at)) {
    expect(fields).toBe(3);
    const field = (): Buffer => {
      const length = copy.readInt32BE(at);
      at += 4 + length;
      return copy.subarray(at - length, at);
    };
    at += 2;
    const [uuid, data, micros] = [field(), field(), field()];
    expect(data[0]).toBe(1); // jsonb's version
    const ms = Number(micros.readBigInt64BE() / 1000n) + Date.UTC(2000, 0, 1);
    rows.push([uuid.toString('hex'), data.subarray(1).toString('utf8'), new Date(ms).toISOString()]);
  }
  expect(at + 2).toBe(copy.length);
  return rows;
}
const text = (lines: { raw: Buffer; typed: Buffer }) => ({
  raw: rawRows(lines.raw),
  typed: lines.typed.toString('utf8'),
});

describe('COPY text fields', () => {
  it('escapes what COPY reads specially and nothing else', () => {
    expect(copyText('plain "text", with commas')).toBe('plain "text", with commas');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('types values as the typed table takes them: other types become null or JSON text', () => {
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
  it('gathers a raw row and a typed line per record, in order, and starts afresh after take', () => {
    const batch = new StreamBatch(table('append'));
    batch.add('u1', id(1), { id: 1, name: 'a\tb é', extra: true }, emitted);
    batch.add('u2', id(2), { id: 1, score: 0.5, ok: true, meta: [1] }, emitted);
    expect(batch.size).toBe(2);
    expect(text(batch.take())).toEqual({
      raw: [
        ['01'.repeat(16), '{"id":1,"name":"a\\tb é","extra":true}', at],
        ['02'.repeat(16), '{"id":1,"score":0.5,"ok":true,"meta":[1]}', at],
      ],
      typed: `u1\t1\ta\\tb é\t\\N\t\\N\t\\N\t${at}\nu2\t1\t\\N\t0.5\tt\t[1]\t${at}\n`,
    });
    expect(batch.size).toBe(0);
    expect(text(batch.take())).toEqual({ raw: [], typed: '' });
  });

  it('with append_dedup keeps the newest typed line of each key and counts records without a key', () => {
    const batch = new StreamBatch(table('append_dedup'));
    batch.add('u1', id(1), { id: 1, name: 'one' }, emitted);
    batch.add('u2', id(2), { id: 2, name: 'two' }, emitted);
    batch.add('u3', id(3), { id: '1', name: 'one again' }, emitted);
    batch.add('u4', id(4), { name: 'no key' }, emitted);
    expect(batch.keyless).toBe(1);
    const { raw, typed } = text(batch.take());
    expect(raw).toHaveLength(4);
    expect(typed).toBe(`u3\t1\tone again\t\\N\t\\N\t\\N\t${at}\nu2\t2\ttwo\t\\N\t\\N\t\\N\t${at}\n`);
  });
});
