import { describe, expect, it } from 'vitest';
import { documentWrites } from './changes.ts';
import { answersWithin } from './ping.ts';

describe('documentWrites', () => {
  it('keeps the last change per document, puts as their exact JSON, deletes as tombstones', () => {
    const writes = documentWrites(
      [
        { collection: 'docs', op: 'put', doc: { id: 'a', z: 1, b: 2 } },
        { collection: 'docs', op: 'delete', id: 'b' },
        { collection: 'others', op: 'put', doc: { id: 'a' } },
        { collection: 'docs', op: 'delete', id: 'a' },
        { collection: 'docs', op: 'put', doc: { b: 1, id: 'a' }, position: 6 },
      ],
      7,
    );
    expect(writes).toEqual([
      { collection: 'docs', id: 'b', json: null, position: 7 },
      { collection: 'others', id: 'a', json: '{"id":"a"}', position: 7 },
      { collection: 'docs', id: 'a', json: '{"b":1,"id":"a"}', position: 6 },
    ]);
  });

  it("refuses a change's position above the commit's", () => {
    const change = { collection: 'docs', op: 'delete' as const, id: 'a', position: 8 };
    expect(() => documentWrites([change], 7)).toThrow(RangeError);
  });

  it('refuses a bad collection or a value JSON cannot hold, even in a superseded change', () => {
    const bigint = { collection: 'docs', op: 'put' as const, doc: { id: 'a', v: 1n } };
    const later = { collection: 'docs', op: 'delete' as const, id: 'a' };
    expect(() => documentWrites([bigint, later], 1)).toThrow(/BigInt/);
    expect(() => documentWrites([{ ...later, collection: 'Bad-Name' }, later], 1)).toThrow(
      /invalid collection/,
    );
  });
});

describe('answersWithin', () => {
  it('answers true for a check that succeeds, false for one that fails or throws', async () => {
    expect(await answersWithin(async () => 1)).toBe(true);
    expect(await answersWithin(async () => Promise.reject(new Error('down')))).toBe(false);
    expect(
      await answersWithin(() => {
        throw new Error('synchronously');
      }),
    ).toBe(false);
  });

  it('answers false once the time is up, without waiting for the check', async () => {
    const started = Date.now();
    expect(await answersWithin(() => new Promise(() => {}), 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
