import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'MySQL',
  dockerRepository: 'ferry/destination-mysql',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/destinations/mysql',
  kind: 'destination',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
