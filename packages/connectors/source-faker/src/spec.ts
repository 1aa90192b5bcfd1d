import type { ConnectorSpecification } from '@ferry/protocol';
import * as z from 'zod';

export const FakerConfig = z.object({
  count: z.number().int().min(0).default(1000),
  seed: z.number().int().default(0),
  records_per_slice: z.number().int().min(1).default(1000),
});
export type FakerConfig = z.infer<typeof FakerConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/faker',
  supportsIncremental: true,
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Faker Source Spec',
    type: 'object',
    required: [],
    additionalProperties: false,
    properties: {
      count: {
        title: 'Count',
        description: 'How many rows each stream (users, products, purchases) holds.',
        type: 'integer',
        minimum: 0,
        default: 1000,
      },
      seed: {
        title: 'Seed',
        description: 'The same seed and count always produce the same rows.',
        type: 'integer',
        default: 0,
      },
      records_per_slice: {
        title: 'Records per slice',
        description: 'A STATE message is emitted after this many records of a stream.',
        type: 'integer',
        minimum: 1,
        default: 1000,
      },
    },
  },
};
