import { describe, expect, it } from 'vitest';
import { CopyLines } from './copy-lines.ts';

describe('CopyLines', () => {
  it('gathers lines as UTF-8, growing past its first buffer, and keeps a batch taken while the next one fills', () => {
    const lines = new CopyLines();
    const written: string[] = [];
    // Two-byte, three-byte and four-byte characters, past the first MiB: no line may be cut at a boundary.
    for (let n = 0; n < 40_000; n++) {
      const line = `${n}\tnom é ${'€'.repeat(n % 7)} 😀\t${'x'.repeat(n % 13)}\n`;
      written.push(line);
      lines.add(line);
    }
    const taken = lines.take();
    expect(taken.length).toBeGreaterThan(1 << 20);
    expect(taken.toString('utf8')).toBe(written.join(''));
    lines.add('next\n');
    expect(lines.take().toString('utf8')).toBe('next\n');
    expect(taken.toString('utf8')).toBe(written.join(''));
    expect(lines.take().length).toBe(0);
  });
});
