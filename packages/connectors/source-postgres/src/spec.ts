import { PgConnectionConfig, pgConnectionProperties } from '@ferry/postgres-common';
import type { ConnectorSpecification } from '@ferry/protocol';
import { z } from 'zod';

export const SourcePostgresConfig = PgConnectionConfig.extend({
  schemas: z.array(z.string().min(1)).min(1).default(['public']),
});
export type SourcePostgresConfig = z.infer<typeof SourcePostgresConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/postgres',
  supportsIncremental: true,
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Postgres Source Spec',
    type: 'object',
    required: ['host', 'port', 'database', 'username'],
    additionalProperties: false,
    properties: {
      ...pgConnectionProperties,
      schemas: {
        title: 'Schemas',
        description: 'Schemas whose tables and views become streams.',
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        uniqueItems: true,
        default: ['public'],
        order: 5,
      },
    },
  },
};
