/**
 * The server and database of a connection string as `host:port/database`, for `describe()` and errors:
 * never the user or password. The database is the one pg connects to (the user's name when the URL has
 * none). Throws `unreachable` without echoing the string (it may hold a password) when it is not a
 * `postgres://` URL. `store` names who asks, as in `PostgreSQL read store`.
 */
export function serverOf(connectionString: string, store: string): string {
  const url = URL.parse(connectionString);
  if (!url) throw unreachable(store, '', 'the connection string is not a postgres:// URL');
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw unreachable(store, '', `the connection string is a ${url.protocol}// URL, not a postgres:// URL`);
  }
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  // Left percent-encoded: decoding a malformed name would throw.
  const database = url.pathname.slice(1) || url.username || 'postgres';
  return `${host}:${url.port || '5432'}/${database}`;
}

/**
 * The one-line error of a store that cannot open, whatever went wrong first (refused, unknown host, auth,
 * no database), kept as `cause`, or given as a string: `Cannot reach the <store> at postgres://<server>:
 * <reason>`.
 */
export function unreachable(store: string, server: string, cause: unknown): Error {
  const at = server ? ` at postgres://${server}` : '';
  const message = `Cannot reach the ${store}${at}: ${reasonOf(cause)}`;
  return typeof cause === 'string' ? new Error(message) : new Error(message, { cause });
}

/** On one line. Node reports a refused `localhost` (::1 and 127.0.0.1) as an AggregateError without a message. */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error).replace(/\s+/g, ' ');
  const code = (error as { code?: unknown }).code;
  return (error.message || (typeof code === 'string' ? code : error.name)).replace(/\s+/g, ' ');
}
