import { describe, expect, it } from 'vitest';
import { StreamBatch } from './batch.ts';
import { copyField, copyText } from './copy-text.ts';
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
const text = (lines: { raw: Buffer; typed: Buffer }) => ({
  raw: lines.raw.toString('utf8'),
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
  it('gathers a raw line and a typed line per record, in order, and starts afresh after take', () => {
    const batch = new StreamBatch(table('append'));
    batch.add('u1', { id: 1, name: 'a\tb', extra: true }, at);
    batch.add('u2', { id: 1, score: 0.5, ok: true, meta: [1] }, at);
    expect(batch.size).toBe(2);
    expect(text(batch.take())).toEqual({
      raw: `u1\t{"id":1,"name":"a\\\\tb","extra":true}\t${at}\nu2\t{"id":1,"score":0.5,"ok":true,"meta":[1]}\t${at}\n`,
      typed: `u1\t1\ta\\tb\t\\N\t\\N\t\\N\t${at}\nu2\t1\t\\N\t0.5\tt\t[1]\t${at}\n`,
    });
    expect(batch.size).toBe(0);
    expect(text(batch.take())).toEqual({ raw: '', typed: '' });
  });

  it('with append_dedup keeps the newest typed line of each key and counts records without a key', () => {
    const batch = new StreamBatch(table('append_dedup'));
    batch.add('u1', { id: 1, name: 'one' }, at);
    batch.add('u2', { id: 2, name: 'two' }, at);
    batch.add('u3', { id: '1', name: 'one again' }, at);
    batch.add('u4', { name: 'no key' }, at);
    expect(batch.keyless).toBe(1);
    const { raw, typed } = text(batch.take());
    expect(raw.split('\n')).toHaveLength(5);
    expect(typed).toBe(`u3\t1\tone again\t\\N\t\\N\t\\N\t${at}\nu2\t2\ttwo\t\\N\t\\N\t\\N\t${at}\n`);
  });
});
