import { withConnection } from '@ferry/mysql-common';
import { runConnector } from '@ferry/protocol';
import { listTables, tableStream } from './discover.ts';
import { readMySql } from './read.ts';
import { SourceMySqlConfig, spec } from './spec.ts';

await runConnector({
  config: SourceMySqlConfig,
  spec: () => spec,
  // Connection errors propagate: the harness reports them as FAILED with the server's own message.
  check: (config) =>
    withConnection(config, async (db) => {
      await db.query('SELECT 1');
      return { status: 'SUCCEEDED' as const };
    }),
  discover: (config) =>
    withConnection(config, async (db) => {
      const tables = await listTables(db, config.database);
      return { streams: [...tables].map(([name, table]) => tableStream(name, table)) };
    }),
  read: readMySql,
});
