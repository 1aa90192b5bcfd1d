import { quoteIdent, withConnection } from '@ferry/mysql-common';
import type { AirbyteConnectionStatus } from '@ferry/protocol';
import type { DestinationMySqlConfig } from './spec.ts';

/**
 * Connects and proves the user may create, write and drop a table in the database, with a table of its
 * own name that it removes again. Connection and permission errors propagate: the harness reports them as
 * FAILED with the server's message.
 */
export function checkMySql(config: DestinationMySqlConfig): Promise<AirbyteConnectionStatus> {
  return withConnection(config, async (db) => {
    const table = quoteIdent(`_airbyte_check_${process.pid}_${Date.now()}`);
    await db.query(`CREATE TABLE ${table} (id int)`);
    try {
      await db.query(`INSERT INTO ${table} VALUES (1)`);
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    return { status: 'SUCCEEDED' };
  });
}
