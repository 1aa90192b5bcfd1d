import pg from 'pg';
import { z } from 'zod';

/** The connection fields the Postgres source and destination share. */
export const PgConnectionConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1),
  username: z.string().min(1),
  password: z.string().optional(),
});
export type PgConnectionConfig = z.infer<typeof PgConnectionConfig>;

/** JSON-schema properties of those fields, for each connector's spec. */
export const pgConnectionProperties = {
  host: { title: 'Host', description: 'Hostname of the database.', type: 'string', order: 0 },
  port: {
    title: 'Port',
    type: 'integer',
    minimum: 1,
    maximum: 65535,
    default: 5432,
    examples: ['5432'],
    order: 1,
  },
  database: { title: 'DB Name', type: 'string', order: 2 },
  username: { title: 'User', type: 'string', order: 3 },
  password: { title: 'Password', type: 'string', airbyte_secret: true, order: 4 },
};

/**
 * Connects with a bounded timeout so a wrong host fails a check quickly instead of hanging, and with the
 * session in UTC so timestamps read as text carry an unambiguous offset.
 */
export async function connect(
  config: PgConnectionConfig,
  applicationName: string,
  types?: pg.CustomTypesConfig,
): Promise<pg.Client> {
  const client = new pg.Client({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.username,
    password: config.password,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
    ...(types ? { types } : {}),
  });
  // An idle connection dropped by the server must surface as a failed query, not an unhandled 'error'.
  client.on('error', () => {});
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return client;
}

/** Quotes an identifier for SQL (`my"table` → `"my""table"`). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `work` on a fresh connection and always closes it. */
export async function withClient<T>(
  config: PgConnectionConfig,
  applicationName: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connect(config, applicationName);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
