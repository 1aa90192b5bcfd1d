import { describe, expect, it } from 'vitest';
import { ChunkAssembly, parseChunkMark, splitIntoChunks } from './chunks.ts';

const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => i % 251);

describe('chunks', () => {
  it('keeps a message that fits in one chunk', () => {
    const chunks = splitIntoChunks(bytes(10), 10);
    expect(chunks.map((c) => c.mark)).toEqual(['0/1']);
  });

  it('splits and reassembles a message byte for byte', () => {
    const message = bytes(2_500);
    const chunks = splitIntoChunks(message, 1_000);
    expect(chunks.map((c) => [c.mark, c.data.length])).toEqual([
      ['0/3', 1_000],
      ['1/3', 1_000],
      ['2/3', 500],
    ]);
    const assembly = new ChunkAssembly();
    const results = chunks.map((c) => assembly.add(parseChunkMark(c.mark)!, c.data));
    expect(results.slice(0, 2)).toEqual([null, null]);
    expect(results[2]).toEqual(message);
  });

  it('sends an empty message as one empty chunk', () => {
    expect(splitIntoChunks(new Uint8Array(0), 100).map((c) => [c.mark, c.data.length])).toEqual([['0/1', 0]]);
  });

  it('refuses a chunk out of order, which means one was lost', () => {
    const assembly = new ChunkAssembly();
    expect(() => assembly.add({ index: 1, count: 2 }, bytes(1))).toThrow(/chunk 1 of 2 arrived after 0/);
  });

  it('reads only well-formed marks', () => {
    expect(parseChunkMark('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of [undefined, '', '5/5', 'a/b', '1/2/3']) expect(parseChunkMark(bad)).toBeNull();
  });
});
