import { PgConnectionConfig, pgConnectionProperties } from '@ferry/postgres-common';
import type { ConnectorSpecification } from '@ferry/protocol';
import { z } from 'zod';

export const DestinationPostgresConfig = PgConnectionConfig.extend({
  schema: z.string().min(1).default('public'),
});
export type DestinationPostgresConfig = z.infer<typeof DestinationPostgresConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/destinations/postgres',
  supportsIncremental: true,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Postgres Destination Spec',
    type: 'object',
    required: ['host', 'port', 'database', 'username', 'schema'],
    additionalProperties: false,
    properties: {
      ...pgConnectionProperties,
      schema: {
        title: 'Default Schema',
        description:
          'Schema the raw tables (_airbyte_raw_<stream>) and typed tables (<stream>, deduplicated on the primary key with append_dedup) are written to; created if missing.',
        type: 'string',
        examples: ['public'],
        default: 'public',
        order: 5,
      },
    },
  },
};
