import { MySqlConnectionConfig, mysqlConnectionProperties } from '@ferry/mysql-common';
import type { ConnectorSpecification } from '@ferry/protocol';
import type { z } from 'zod';

export const SourceMySqlConfig = MySqlConnectionConfig;
export type SourceMySqlConfig = z.infer<typeof SourceMySqlConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/mysql',
  supportsIncremental: true,
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'MySQL Source Spec',
    description: 'MySQL or MariaDB: the tables and views of one database become streams.',
    type: 'object',
    required: ['host', 'port', 'database', 'username'],
    additionalProperties: false,
    properties: mysqlConnectionProperties,
  },
};
