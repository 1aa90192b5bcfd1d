import { describe, expect, it } from 'vitest';
import { canonicalDataText } from './record-text.ts';

const line = (
  data: string,
  around = (d: string) => `{"type":"RECORD","record":{"stream":"s","data":${d},"emitted_at":1}}`,
) => around(data);
const dataOf = (text: string) => (JSON.parse(text) as { record: { data: object } }).record.data;
/** The one property that matters: whenever a text is returned, it is byte for byte JSON.stringify(data). */
const exact = (text: string) => {
  const found = canonicalDataText(text, dataOf(text));
  if (found !== undefined) expect(found).toBe(JSON.stringify(dataOf(text)));
  return found;
};

describe('canonicalDataText', () => {
  it('returns the data of lines printed by JSON.stringify, as they are', () => {
    const values = [
      {},
      { id: 1, name: 'Ada', ok: true, none: null, price: 12.5, big: -123456789012345 },
      { nested: { a: [1, 'two', { three: [] }], b: {} }, list: [[], [{}]] },
      { text: 'quote " backslash \\ tab \t newline \n control \u0001 é 漢 😀 \u2028' },
      { '': 'empty key', 'key with "quotes"': 1, tiny: 1e-7, huge: 1e21, neg: -0.5 },
    ];
    for (const data of values) {
      const text = JSON.stringify({ type: 'RECORD', record: { stream: 's', data, emitted_at: 1 } });
      expect(canonicalDataText(text, data)).toBe(JSON.stringify(data));
    }
  });

  it('finds data wherever it stands in the record and the record in the line, whitespace around them', () => {
    expect(exact('{"record":{"emitted_at":1,"data":{"a":1},"stream":"s"},"type":"RECORD"}')).toBe('{"a":1}');
    expect(exact(' { "type" : "RECORD" , "record" : { "stream" : "s" , "data" : {"a":[1]} } } ')).toBe(
      '{"a":[1]}',
    );
    expect(exact(line('{"a":"}\\"{"}'))).toBe('{"a":"}\\"{"}');
  });

  it('declines any data text that JSON.stringify would print otherwise', () => {
    const declined = [
      '{ "a":1}',
      '{"a": 1}',
      '{"a":[1, 2]}',
      '{"a":1.0}',
      '{"a":1e3}',
      '{"a":1E+3}',
      '{"a":-0}',
      '{"a":0.10}',
      '{"a":12345678901234567890}',
      '{"a":"\\u0041"}',
      '{"a":"\\/"}',
      '{"a":"\\u001F"}',
      '{"a":"\\u000a"}',
      '{"a":1,"a":2}',
      '{"n":{"x":1,"x":1}}',
      '{"b":1,"1":2}',
      '{"a":"\\ud800"}',
    ];
    for (const data of declined) expect(exact(line(data)), data).toBeUndefined();
  });

  it('takes the last of duplicate data or record keys, as JSON.parse does', () => {
    expect(exact('{"type":"RECORD","record":{"stream":"s","data":{"a":1},"data":{"b":2}}}')).toBe('{"b":2}');
    expect(exact('{"type":"RECORD","record":{"data":{"a":1}},"record":{"stream":"s","data":{"c":3}}}')).toBe(
      '{"c":3}',
    );
    expect(
      exact('{"type":"RECORD","record":{"stream":"s","data":{"a":1},"data":{"b":1.0}}}'),
    ).toBeUndefined();
    expect(exact('{"type":"RECORD","record":{"stream":"s","data":{"a":1}},"record":{"data":{}}}')).toBe('{}');
  });

  it('declines a line whose keys it cannot read as they are (escaped names)', () => {
    expect(exact('{"type":"RECORD","rec\\u006frd":{"stream":"s","data":{"a":1}}}')).toBeUndefined();
    expect(exact('{"type":"RECORD","record":{"stream":"s","dat\\u0061":{"a":1}}}')).toBeUndefined();
  });

  it('agrees with JSON.stringify on many generated records', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = ['1', '-1', '0', '1.5', '1.50', '2e3', '-0', '"x"', '"\\n"', '"\\u00e9"', 'true', 'null'];
    const gaps = ['', ' '];
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 2 || r < 0.5) return pieces[Math.floor(rnd() * pieces.length)]!;
      const n = Math.floor(rnd() * 3);
      const gap = () => gaps[Math.floor(rnd() * gaps.length * 4) % 4 === 0 ? 1 : 0];
      if (r < 0.75) return `[${Array.from({ length: n }, () => `${gap()}${value(depth + 1)}`).join(',')}]`;
      const keys = ['a', 'b', 'a', '1', 'é'];
      return `{${Array.from({ length: n }, () => `"${keys[Math.floor(rnd() * keys.length)]}":${gap()}${value(depth + 1)}`).join(',')}}`;
    };
    let returned = 0;
    for (let k = 0; k < 5000; k++) {
      const data = `{"v":${value(0)}}`;
      if (exact(line(data)) !== undefined) returned++;
    }
    expect(returned).toBeGreaterThan(500); // the fast path is taken, not just always declined
  });
});
