import { describe, expect, it } from 'vitest';
import { LineBytes } from './line-bytes.ts';

describe('LineBytes', () => {
  it('holds the UTF-8 bytes of the lines added, growing past the room first made', () => {
    const lines = ['{"a":1}\n', '{"name":"é 😀 名前"}\n', `${'x'.repeat(1000)}\n`, '\n'];
    const bytes = new LineBytes();
    bytes.start(4);
    for (const line of lines) bytes.add(line);
    expect(bytes.take().toString('utf8')).toBe(lines.join(''));
    expect(bytes.length).toBe(Buffer.byteLength(lines.join('')));
  });

  it('starts each batch in a buffer of its own: a taken batch stays as it was', () => {
    const bytes = new LineBytes();
    bytes.start(64);
    bytes.add('first\n');
    const first = bytes.take();
    bytes.start(64);
    bytes.add('second\n');
    expect(first.toString()).toBe('first\n');
    expect(bytes.take().toString()).toBe('second\n');
  });

  it('takes nothing from a batch without lines', () => {
    const bytes = new LineBytes();
    bytes.start(16);
    expect(bytes.take()).toHaveLength(0);
  });
});
