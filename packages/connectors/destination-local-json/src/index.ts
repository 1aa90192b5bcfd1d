import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'Local JSON',
  dockerRepository: 'ferry/destination-local-json',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/destinations/local-json',
  kind: 'destination',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
