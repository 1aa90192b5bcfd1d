import { record } from '@ferry/protocol';
import { describe, expect, it } from 'vitest';
import { RecordLines } from './record-lines.ts';

/** Rows as pg hands them with readTypes: numbers, text, booleans, nulls, arrays, parsed JSON. */
const rows: Record<string, unknown>[] = [
  { id: 1, name: 'Ada', score: 1.5, active: true, tags: ['a', 'b'], meta: { k: 1, 'odd "key"': [null] } },
  { id: 2, name: null, score: 'NaN', active: false, tags: null, meta: null },
  { id: -0, name: 'tab\tquote" backslash\\ newline\n nul\u0000 é 😀 lone\ud800', score: 1e21, big: 2 ** 60 },
  { '': 'empty key', 10: 'index key first', seen: '2020-01-02T03:04:05.123456Z' },
  {},
];

describe('RecordLines', () => {
  it('prints each row as JSON.stringify prints its RECORD message, one line each', () => {
    for (const stream of ['public.people', 'odd "stream"\n名前']) {
      const expected = rows.map((r) => `${JSON.stringify(record(stream, r, 1_700_000_000_123))}\n`);
      const lines = new RecordLines(stream);
      expect(rows.map((r) => lines.line(r, 1_700_000_000_123))).toEqual(expected);
      expect(lines.lines(rows, 1_700_000_000_123)).toBe(expected.join(''));
    }
  });

  it('prints nothing for no rows', () => {
    expect(new RecordLines('s').lines([], 1)).toBe('');
  });
});
