import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonlFormat } from './format.ts';

describe('jsonlFormat', () => {
  it('prints the row JSON.stringify printed for it before, byte for byte', () => {
    const samples = [
      {},
      { id: 1, name: 'Ada "the first"', price: 12.5, at: '2020-01-01T00:00:00.000Z', none: null },
      { nested: { list: [1, 'é', { deep: true }] }, text: 'line\nbreak \u2028 😀' },
    ];
    for (const data of samples)
      for (const emittedAt of [0, 1764600000000, -1, 1.5, Number.POSITIVE_INFINITY]) {
        const id = randomUUID();
        const before = `${JSON.stringify({ _airbyte_ab_id: id, _airbyte_emitted_at: emittedAt, _airbyte_data: data })}\n`;
        expect(jsonlFormat.line(id, emittedAt, JSON.stringify(data))).toBe(before);
      }
  });
});
