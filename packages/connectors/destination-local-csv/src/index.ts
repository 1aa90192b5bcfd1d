import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'Local CSV',
  dockerRepository: 'ferry/destination-local-csv',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/destinations/local-csv',
  kind: 'destination',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
