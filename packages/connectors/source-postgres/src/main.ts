import { withClient } from '@ferry/postgres-common';
import { runConnector } from '@ferry/protocol';
import { listTables, tableStream } from './discover.ts';
import { readPostgres } from './read.ts';
import { SourcePostgresConfig, spec } from './spec.ts';

const APP = 'ferry-source-postgres';

await runConnector({
  config: SourcePostgresConfig,
  spec: () => spec,
  // Connection errors propagate: the harness reports them as FAILED with the server's own message.
  check: (config) =>
    withClient(config, APP, async (client) => {
      await client.query('SELECT 1');
      return { status: 'SUCCEEDED' as const };
    }),
  discover: (config) =>
    withClient(config, APP, async (client) => {
      const tables = await listTables(client, config.schemas);
      return { streams: [...tables].map(([name, table]) => tableStream(name, table)) };
    }),
  read: readPostgres,
});
