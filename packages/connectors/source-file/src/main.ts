import { runConnector } from '@ferry/protocol';
import { discoverFile, readFile } from './read.ts';
import { readablePath } from './rows.ts';
import { FileConfig, spec } from './spec.ts';

await runConnector({
  config: FileConfig,
  spec: () => spec,
  check: async (config) => {
    await readablePath(config);
    return { status: 'SUCCEEDED' };
  },
  discover: discoverFile,
  read: readFile,
});
