import type { MySqlConnection } from '@ferry/mysql-common';
import type { Connection as CallbackConnection } from 'mysql2';

/** Rows the driver may hold ahead of the consumer: the stream pauses the socket beyond that. */
export const HIGH_WATER_ROWS = 1000;

/**
 * A query's rows, one by one, as the server sends them: the driver's streaming query pauses reading the
 * socket while the consumer is busy, so memory holds at most a buffer of rows whatever the table's size.
 */
export async function* streamRows(
  db: MySqlConnection,
  sql: string,
  params: unknown[],
): AsyncIterable<Record<string, unknown>> {
  // The promise API buffers whole results; its callback connection underneath (untyped there) streams.
  const core = (db as unknown as { connection: CallbackConnection }).connection;
  const rows = core.query(sql, params).stream({ highWaterMark: HIGH_WATER_ROWS });
  for await (const row of rows) yield row as Record<string, unknown>;
}
