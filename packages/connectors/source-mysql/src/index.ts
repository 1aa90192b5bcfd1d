import path from 'node:path';
import type { ConnectorManifest } from '@ferry/protocol';

export const manifest: ConnectorManifest = {
  name: 'MySQL',
  dockerRepository: 'ferry/source-mysql',
  dockerImageTag: '0.1.0',
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/mysql',
  kind: 'source',
  entryPoint: path.join(import.meta.dirname, 'main.ts'),
};
