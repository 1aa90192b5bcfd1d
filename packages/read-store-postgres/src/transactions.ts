import type pg from 'pg';

/** Deadlock, serialization failure, and a connection lost to a restart or an administrator. */
const retryableCodes = new Set(['40P01', '40001', '57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE']);
const maxAttempts = 3;

function retryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return retryableCodes.has(code);
  return error.message.startsWith('Connection terminated');
}

/**
 * Runs `operation` again (up to three times in all) when it failed for a reason that a new try on a new
 * connection can cure. Safe for every operation of the store: reads change nothing, and a commit or a
 * reset that ran twice leaves what one run leaves (writes land only over older positions).
 */
export async function retrying<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= maxAttempts || !retryable(error)) throw error;
    }
  }
}

/** Runs `work` in one transaction on one pooled client; a client whose rollback failed is discarded. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
