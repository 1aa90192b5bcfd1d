import { describe, expect, it } from 'vitest';
import { queryable, queryCopy } from './query-copy.ts';

const copyOf = (value: unknown) => queryCopy(JSON.stringify(value));

describe('the jsonb copy of a document', () => {
  it('is not needed for JSON text jsonb can hold, escapes and valid surrogate pairs included', () => {
    for (const value of [{ id: 'a' }, { s: '\u0001\t"\\' }, { s: '\ud83d\ude00 東京' }, { s: '\\u0000' }]) {
      expect(copyOf(value)).toBeNull();
    }
    expect(queryCopy('"\\ud83d\\ude00"')).toBeNull();
  });

  it('has U+FFFD for each NUL and lone surrogate, in values and keys alike', () => {
    const doc = { id: 'a', name: 'a\u0000b', lone: ['\ud800', 'x\udfffy', '\udc00\ud800'], 'k\u0000': 1 };
    const copy = copyOf(doc);
    expect(copy).not.toBeNull();
    expect(JSON.parse(copy ?? '')).toEqual({
      id: 'a',
      name: 'a\ufffdb',
      lone: ['\ufffd', 'x\ufffdy', '\ufffd\ufffd'],
      'k\ufffd': 1,
    });
  });

  it('never reads an escaped backslash followed by u0000 as a NUL', () => {
    expect(JSON.parse(copyOf({ s: '\\u0000\u0000\\\u0000' }) ?? '')).toEqual({ s: '\\u0000\ufffd\\\ufffd' });
  });

  it('is the text itself for values a query compares, when nothing needs replacing', () => {
    expect(queryable('["a"]')).toBe('["a"]');
    expect(queryable(JSON.stringify(['a\u0000']))).toBe('["a\\ufffd"]');
  });
});
