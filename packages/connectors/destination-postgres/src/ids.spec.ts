import { describe, expect, it } from 'vitest';
import { RecordIds } from './ids.ts';

describe('RecordIds', () => {
  it("draws distinct version 4 UUIDs' 16 bytes across refills of its pool", () => {
    const ids = new RecordIds();
    const drawn = Array.from({ length: 10_000 }, () => ids.take().toString('hex'));
    expect(new Set(drawn).size).toBe(drawn.length);
    for (const id of drawn) expect(id).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });

  it('sets only the version and variant bits: the others vary', () => {
    const ids = new RecordIds();
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let n = 0; n < 2_000; n++) {
      const id = ids.take().toString('hex');
      for (let i = 0; i < id.length; i++) seen[i]!.add(id[i]!);
    }
    expect(seen.map((s) => s.size)).toEqual(seen.map((_, i) => (i === 12 ? 1 : i === 16 ? 4 : 16)));
  });
});
