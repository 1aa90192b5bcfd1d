import pg from 'pg';

/** A server that does not answer (a host dropping packets) fails `open` after this, not never. */
const connectTimeoutMs = 5_000;

/**
 * The server and database of a connection string as `host:port/db`, for messages and `describe()`: never
 * the user or password. Throws, without echoing the string (it may hold a password), when it is not a
 * `postgres://` URL.
 */
export function serverOf(connectionString: string): string {
  const url = URL.parse(connectionString);
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    throw new Error('Cannot reach the PostgreSQL read store: the connection string is not a postgres:// URL');
  }
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  return `${host}:${url.port || 5432}${url.pathname}`;
}

/** The one error `open` rejects with, whatever went wrong first (refused, unknown host, auth, no database). */
export function unreachable(server: string, cause: unknown): Error {
  return new Error(`Cannot reach the PostgreSQL read store at postgres://${server}: ${reasonOf(cause)}`, {
    cause,
  });
}

/** Node reports a refused `localhost` (tried as ::1 and 127.0.0.1) as an AggregateError without a message. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}

export interface PoolOptions {
  connectionString: string;
  poolSize: number;
  /** Shown in `pg_stat_activity`, so an operator (or a test) can tell whose connections these are. */
  applicationName: string;
}

/**
 * A pool that survives the server going away: pg emits 'error' on a client whose connection dies (a
 * restart, an administrator's `pg_terminate_backend`), idle in the pool or checked out between queries,
 * and an unhandled 'error' event kills Node. The pool already drops such clients, and the query that
 * needed one fails (and is retried, see `retrying`), so the events themselves need no more handling.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: options.applicationName,
  });
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

const ignore = (): void => {};

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
