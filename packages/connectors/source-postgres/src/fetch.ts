import type pg from 'pg';

/** Rows per FETCH: memory holds one batch, whatever the table's size. */
export const BATCH_ROWS = 1000;

/**
 * Streams a query's rows in batches through a server-side cursor, inside one read-only repeatable-read
 * transaction so the whole table is read from a single snapshot. Abandoning the iteration rolls back.
 */
export async function* fetchBatches(
  client: pg.Client,
  sql: string,
  params: unknown[],
): AsyncIterable<Record<string, unknown>[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let done = false;
  try {
    await client.query(`DECLARE ferry_read NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const { rows } = await client.query(`FETCH ${BATCH_ROWS} FROM ferry_read`);
      if (rows.length > 0) yield rows;
      if (rows.length < BATCH_ROWS) break;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => {});
  }
}
