import { parseCsvText } from '@ferry/local-files';
import { localDestinationSuite } from '@ferry/local-files/testing';
import { describe } from 'vitest';
import { manifest } from './index.ts';

describe('destination-local-csv', () => {
  localDestinationSuite({
    entryPoint: manifest.entryPoint,
    extension: 'csv',
    async readRows(text) {
      const [header, ...rows] = await parseCsvText(text);
      if (header?.join(',') !== '_airbyte_ab_id,_airbyte_emitted_at,_airbyte_data')
        throw new Error(`bad header ${header}`);
      return rows.map(([id, emittedAt, data]) => ({
        id: id!,
        emittedAt: Number(emittedAt),
        data: JSON.parse(data!),
      }));
    },
  });
});
