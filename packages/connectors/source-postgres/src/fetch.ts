import type pg from 'pg';

/** Rows per FETCH: memory holds two batches (one handed out, the next on its way), whatever the table's size. */
export const BATCH_ROWS = 10_000;

/**
 * Streams a query's rows in batches through a server-side cursor, inside one read-only repeatable-read
 * transaction so the whole table is read from a single snapshot. The next batch is fetched while the
 * caller handles the current one, so the server and this process work at the same time. Abandoning the
 * iteration rolls back.
 */
export async function* fetchBatches(
  client: pg.Client,
  sql: string,
  params: unknown[],
): AsyncIterable<Record<string, unknown>[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let done = false;
  const fetch = () => {
    const next = client.query(`FETCH ${BATCH_ROWS} FROM ferry_read`);
    // Awaited below; if the caller stops first, the ROLLBACK that follows settles it.
    next.catch(() => {});
    return next;
  };
  try {
    await client.query(`DECLARE ferry_read NO SCROLL CURSOR FOR ${sql}`, params);
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      const more = rows.length === BATCH_ROWS;
      if (more) next = fetch();
      if (rows.length > 0) yield rows;
      if (!more) break;
    }
    await client.query('COMMIT');
    done = true;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => {});
  }
}
