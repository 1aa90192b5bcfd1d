import { describe, expect, it } from 'vitest';
import { DueIndex } from './due-index.ts';

describe('DueIndex', () => {
  it('gives the due connections earliest first, each once, at its latest time', () => {
    const index = new DueIndex();
    index.set('a', 30);
    index.set('b', 10);
    index.set('c', 20);
    index.set('a', 5); // moved earlier: the old entry is stale
    index.set('c', 50); // moved later
    expect(index.nextAt()).toBe(5);
    expect(index.takeDue(20)).toEqual(['a', 'b']);
    expect(index.takeDue(20)).toEqual([]);
    expect(index.nextAt()).toBe(50);
    index.delete('c');
    expect(index.nextAt()).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('setEarlier keeps a sooner time', () => {
    const index = new DueIndex();
    index.set('a', 10);
    index.setEarlier('a', 20);
    index.setEarlier('b', 15);
    expect(index.takeDue(100)).toEqual(['a', 'b']);
  });

  it('stays ordered through many updates', () => {
    const index = new DueIndex();
    let seed = 1;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    const latest = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const id = `c${next() % 500}`;
      const at = next() % 10_000;
      index.set(id, at);
      latest.set(id, at);
    }
    const due = index.takeDue(5_000);
    const expected = [...latest].filter(([, at]) => at <= 5_000).sort((a, b) => a[1] - b[1]);
    expect(due.map((id) => latest.get(id))).toEqual(expected.map(([, at]) => at));
    expect(index.size).toBe(latest.size - due.length);
  });
});
