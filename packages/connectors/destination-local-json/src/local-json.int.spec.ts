import { localDestinationSuite } from '@ferry/local-files/testing';
import { describe } from 'vitest';
import { manifest } from './index.ts';

describe('destination-local-json', () => {
  localDestinationSuite({
    entryPoint: manifest.entryPoint,
    extension: 'jsonl',
    async readRows(text) {
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .map((r) => ({ id: r._airbyte_ab_id, emittedAt: r._airbyte_emitted_at, data: r._airbyte_data }));
    },
  });
});
