import { describe, expect, it } from 'vitest';
import { indexId, indexKey, keyRange } from './keys.ts';

const within = (id: string, range: { gt: string; lt: string }) => id > range.gt && id < range.lt;

describe('the audit index keys', () => {
  it('order the entries of a key newest first, by time then by position', () => {
    const key = indexKey('resource', 'r1');
    const ids = [indexId(key, 2_000, 7), indexId(key, 1_000, 9), indexId(key, 2_000, 8)].sort();
    expect(ids).toEqual([indexId(key, 2_000, 8), indexId(key, 2_000, 7), indexId(key, 1_000, 9)]);
  });

  it('tell every position apart, up to the largest a log reaches', () => {
    const key = indexKey('all');
    const positions = [1, 2, 3, 4, 999_999_999_999_998, 999_999_999_999_999];
    const ids = positions.map((p) => indexId(key, 1_000, p));
    expect(new Set(ids).size).toBe(positions.length);
    expect(ids.toSorted()).toEqual(ids.toReversed());
  });

  it('give a time window as a range of ids, both ends included', () => {
    const key = indexKey('actor', 'user:ada');
    const range = keyRange(key, { fromMs: 1_000, toMs: 2_000 });
    expect([999, 1_000, 1_500, 2_000, 2_001].map((t) => within(indexId(key, t, 5), range))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('keep the keys of values that extend one another apart, whatever characters the values hold', () => {
    const range = keyRange(indexKey('actor', 'user:a'), {});
    for (const other of ['user:a|b', 'user:a|', 'user:ab', 'user:a~', 'user:\ud800a'])
      expect(within(indexId(indexKey('actor', other), 1, 1), range), other).toBe(false);
    expect(within(indexId(indexKey('actor', 'user:a'), 1, 1), range)).toBe(true);
    expect(indexKey('actor', '\ud800')).toBe(indexKey('actor', '\ufffd'));
  });
});
