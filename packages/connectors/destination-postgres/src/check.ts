import { quoteIdent, withClient } from '@ferry/postgres-common';
import type { AirbyteConnectionStatus } from '@ferry/protocol';
import type { DestinationPostgresConfig } from './spec.ts';

/**
 * Connects and confirms the user may create tables in the schema (or create the schema), without changing
 * anything. Connection errors propagate: the harness reports them as FAILED with the server's message.
 */
export function checkPostgres(config: DestinationPostgresConfig): Promise<AirbyteConnectionStatus> {
  return withClient(config, 'ferry-destination-postgres', async (client) => {
    const { rows } = await client.query<{ exists: boolean; ok: boolean }>(
      `SELECT n.oid IS NOT NULL AS exists,
              CASE WHEN n.oid IS NULL THEN has_database_privilege(current_database(), 'CREATE')
                   ELSE has_schema_privilege(n.oid, 'CREATE') END AS ok
         FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1`,
      [config.schema],
    );
    if (rows[0]?.ok) return { status: 'SUCCEEDED' };
    const schema = quoteIdent(config.schema);
    const message = rows[0]?.exists
      ? `user ${config.username} may not create tables in schema ${schema}`
      : `schema ${schema} does not exist and user ${config.username} may not create it`;
    return { status: 'FAILED', message };
  });
}
