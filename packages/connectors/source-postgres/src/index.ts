import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'Postgres',
  dockerRepository: 'ferry/source-postgres',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/postgres',
  kind: 'source',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
