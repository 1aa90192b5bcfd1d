import pg from 'pg';

/** A server that does not answer (a host dropping packets) fails a connection attempt after this, not never. */
const connectTimeoutMs = 5_000;
/** How long a pooled query may wait for a connection: a free one, or a new one. */
const poolWaitMs = 10_000;
const pingTimeoutMs = 2_000;
const closeWaitMs = 2_000;

export interface ConnectionOptions {
  connectionString: string;
  /** Shown in `pg_stat_activity`, so an operator (or a test) can tell whose connections these are. */
  applicationName: string;
}

/** One connection's settings: a connect timeout, and TCP keepalive so that a dead peer is noticed. */
export function clientConfig(options: ConnectionOptions): pg.ClientConfig {
  return {
    connectionString: options.connectionString,
    application_name: options.applicationName,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
  };
}

/**
 * pg emits 'error' on a client whose connection dies (a server restart, an administrator's
 * `pg_terminate_backend`), idle or between queries, and an unhandled 'error' event ends the process. The
 * query that needed the connection fails anyway, so the event itself needs no more handling.
 */
const ignore = (): void => {};

/** A single connection (not yet connected) whose death does not end the process. */
export function createClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on('error', ignore);
  return client;
}

/**
 * A pool that survives the server going away: it drops a client whose connection died, idle in the pool or
 * checked out, and the next query opens a fresh connection.
 */
export function createPool(config: pg.ClientConfig, max: number): pg.Pool {
  const pool = new pg.Pool({ ...config, max, connectionTimeoutMillis: poolWaitMs });
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

/** `SELECT 1`: false instead of a throw when the server is down, and within 2 s when it does not answer. */
export function ping(pool: pg.Pool): Promise<boolean> {
  const answered = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  return within(answered, pingTimeoutMs, false);
}

/**
 * Ends the pool, waiting at most 2 s: a connection still being attempted to a server that does not answer
 * holds `pool.end()` up until its own timeout, and finishes closing by itself after that.
 */
export function endPool(pool: pg.Pool): Promise<void> {
  return within(pool.end().catch(ignore), closeWaitMs, undefined);
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
