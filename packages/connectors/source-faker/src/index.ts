import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'Faker',
  dockerRepository: 'ferry/source-faker',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/faker',
  kind: 'source',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
