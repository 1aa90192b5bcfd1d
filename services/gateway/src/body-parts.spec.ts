import { describe, expect, it } from 'vitest';
import { slicedBody } from './body-parts.ts';

describe('a body made a slice at a time (slicedBody)', () => {
  it('sends the UTF-8 bytes of its parts in order, in chunks of 64K characters or more but the last', async () => {
    const item = JSON.stringify({ name: 'é "q" ✓', n: 1.5 });
    const slices = async function* () {
      yield ['{"connections":['];
      for (let s = 0; s < 30; s++)
        yield Array.from({ length: 200 }, (_, i) => (s === 0 && i === 0 ? item : `,${item}`));
      yield [];
      yield [']}'];
    };
    const chunks: Buffer[] = [];
    for await (const chunk of slicedBody(slices)) chunks.push(chunk as Buffer);
    const expected = `{"connections":[${Array.from({ length: 6000 }, () => item).join(',')}]}`;
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1))
      expect(chunk.toString('utf8').length).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('reads its slices only as the body is read', async () => {
    let read = 0;
    const slices = async function* () {
      for (let s = 0; s < 1000; s++) {
        read++;
        yield ['x'.repeat(64 * 1024)];
      }
    };
    const body = slicedBody(slices);
    const reader = body[Symbol.asyncIterator]();
    await reader.next();
    expect(read).toBeLessThan(100);
    body.destroy();
  });
});
