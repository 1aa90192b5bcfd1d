import pg from 'pg';

const openTimeoutMs = 5_000;
const poolWaitMs = 10_000;
const pingDeadlineMs = 2_000;
const closeWaitMs = 2_000;

/** `host:port/database` of a connection string: what describe() and errors name. Never the password. */
export function serverOf(connectionString: string): string {
  const url = URL.parse(connectionString);
  if (!url) throw unreachable('', 'the connection string is not a postgres:// URL');
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw unreachable('', `the connection string starts with ${url.protocol}//, not postgres://`);
  }
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  // Left percent-encoded: decoding a malformed name would throw.
  const database = url.pathname.slice(1) || url.username || 'postgres';
  return `${host}:${url.port || '5432'}/${database}`;
}

/** The one-line error of a store that cannot open, whatever went wrong underneath (kept as `cause`). */
export function unreachable(server: string, reason: string, cause?: unknown): Error {
  const at = server ? ` at postgres://${server}` : '';
  return new Error(`Cannot reach the PostgreSQL event store${at}: ${reason.replace(/\s+/g, ' ')}`, { cause });
}

/** Node reports a refused localhost as an AggregateError (IPv6 and IPv4) with an empty message. */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return (error.message || (error as { code?: string }).code) ?? error.name;
  return String(error);
}

/** One connection's settings: named after the schema, so that it is easy to spot in pg_stat_activity. */
export function clientConfig(connectionString: string, schema: string): pg.ClientConfig {
  return {
    connectionString,
    application_name: `ferry event store (${schema})`,
    connectionTimeoutMillis: openTimeoutMs,
    keepAlive: true,
  };
}

export function createPool(config: pg.ClientConfig, max: number): pg.Pool {
  const pool = new pg.Pool({ ...config, max, connectionTimeoutMillis: poolWaitMs });
  // pg emits 'error' on an idle client whose server went away (a restart), and an unhandled 'error' ends
  // the process. The pool has already dropped that client; the next query opens a fresh connection.
  pool.on('error', () => {});
  return pool;
}

/** `SELECT 1`, false instead of a throw when the server is down, and within ~2 s when it does not answer. */
export function ping(pool: pg.Pool): Promise<boolean> {
  const answered = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  return within(answered, pingDeadlineMs, false);
}

/**
 * Ends the pool, waiting at most ~2 s: a connection still being attempted to a server that does not answer
 * holds `pool.end()` up until its own timeout, and finishes closing by itself after that.
 */
export function endPool(pool: pg.Pool): Promise<void> {
  return within(
    pool.end().catch(() => {}),
    closeWaitMs,
    undefined,
  );
}

/** What `promise` settles to, or `otherwise` once `ms` have passed without it (it keeps running). */
async function within<T>(promise: Promise<T>, ms: number, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(otherwise), ms).unref();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
