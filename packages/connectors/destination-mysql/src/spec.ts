import { MySqlConnectionConfig, mysqlConnectionProperties } from '@ferry/mysql-common';
import type { ConnectorSpecification } from '@ferry/protocol';
import type { z } from 'zod';

export const DestinationMySqlConfig = MySqlConnectionConfig;
export type DestinationMySqlConfig = z.infer<typeof DestinationMySqlConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/destinations/mysql',
  supportsIncremental: true,
  supportsNormalization: false,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'MySQL Destination Spec',
    description:
      'MySQL or MariaDB: each stream lands in _airbyte_raw_<stream> (the records as JSON) and in a typed table <stream> (one column per field; deduplicated on the primary key with append_dedup).',
    type: 'object',
    required: ['host', 'port', 'database', 'username'],
    additionalProperties: false,
    properties: mysqlConnectionProperties,
  },
};
