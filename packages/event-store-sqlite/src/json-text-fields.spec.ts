import { JsonText } from '@ferry/read-store';
import { describe, expect, it } from 'vitest';
import { parseWithTexts } from './json-text-fields.ts';

/** Strings that a walk looking for a value's end could mistake for structure. */
const tricky = ['"', '\\', '\\"', '\\\\', '}', ']', '{"a":[1,', ',', '"}', 'é 東京 \u0000 \u2028', '\\u0041'];
const values: unknown[] = [
  { streams: [{ name: tricky, fields: [{ a: { b: [[], {}] } }] }], n: -1.5e-7 },
  tricky,
  [],
  {},
  'plain',
  '',
  0,
  -12.5,
  1e21,
  true,
  null,
];

describe('parseWithTexts', () => {
  it('parses every field but those asked for, which keep their text, in their place', () => {
    for (const value of values) {
      for (const data of [
        { first: value, id: 'x', last: tricky },
        { id: 'x', [tricky.join('')]: value, middle: value, last: 7 },
        { id: 'x', last: value },
      ]) {
        const text = JSON.stringify(data);
        const parsed = parseWithTexts(text, ['first', 'middle', 'last']) as Record<string, unknown>;
        expect(Object.keys(parsed)).toEqual(Object.keys(data));
        for (const [key, expected] of Object.entries(data)) {
          const got = parsed[key];
          if (['first', 'middle', 'last'].includes(key)) {
            expect(got).toBeInstanceOf(JsonText);
            expect((got as JsonText).text).toBe(JSON.stringify(expected));
          } else expect(got).toEqual(expected);
        }
      }
    }
  });

  it('is JSON.parse when no field is there, or the data is not an object', () => {
    for (const value of [...values, { id: 'x', other: tricky }]) {
      expect(parseWithTexts(JSON.stringify(value), ['first'])).toEqual(value);
    }
  });
});
