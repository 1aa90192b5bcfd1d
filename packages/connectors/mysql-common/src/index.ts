import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { z } from 'zod';
import { readTypeCast } from './types.ts';

export { readTypeCast } from './types.ts';

/** The connection fields the MySQL source and destination share (MySQL and MariaDB alike). */
export const MySqlConnectionConfig = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(3306),
  database: z.string().min(1),
  username: z.string().min(1),
  password: z.string().optional(),
});
export type MySqlConnectionConfig = z.infer<typeof MySqlConnectionConfig>;

/** JSON-schema properties of those fields, for each connector's spec. */
export const mysqlConnectionProperties = {
  host: { title: 'Host', description: 'Hostname of the database.', type: 'string', order: 0 },
  port: {
    title: 'Port',
    type: 'integer',
    minimum: 1,
    maximum: 65535,
    default: 3306,
    examples: ['3306'],
    order: 1,
  },
  database: { title: 'Database', type: 'string', order: 2 },
  username: { title: 'User', type: 'string', order: 3 },
  password: { title: 'Password', type: 'string', airbyte_secret: true, order: 4 },
};

export type MySqlConnection = mysql.Connection;

/**
 * Connects with a bounded timeout, so a wrong host fails a check quickly instead of hanging, and with the
 * session in UTC so TIMESTAMP values read and written mean one instant. `typed` reads values the way the
 * source's schema promises them (see types.ts); the destination leaves the driver's defaults.
 */
export async function connect(config: MySqlConnectionConfig, typed = false): Promise<MySqlConnection> {
  const connection = await mysql.createConnection({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.username,
    password: config.password ?? '',
    connectTimeout: 10_000,
    timezone: 'Z',
    dateStrings: true,
    charset: 'utf8mb4',
    multipleStatements: false,
    ...(typed ? { typeCast: readTypeCast, decimalNumbers: true } : {}),
  });
  // An idle connection dropped by the server must surface as a failed query, not an unhandled 'error'.
  connection.on('error', () => {});
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

/** Runs `work` on a fresh connection and always closes it. */
export async function withConnection<T>(
  config: MySqlConnectionConfig,
  work: (connection: MySqlConnection) => Promise<T>,
): Promise<T> {
  const connection = await connect(config);
  try {
    return await work(connection);
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

/** Quotes an identifier for MySQL (`my`table` → `` `my``table` ``). */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** MySQL's identifier limit. */
export const MAX_IDENTIFIER = 64;

/** A name that fits the limit: a longer one keeps its start and gets a short hash of the whole, to stay unique. */
export function fitIdentifier(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}
