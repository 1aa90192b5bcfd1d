import { isAbsolute, join } from 'node:path';

/**
 * Which store a URL names. The event store takes `sqlite:`, `postgres://` and `esdb://`/`kurrentdb://`;
 * the read store `sqlite:`, `postgres://` and `mongodb://`. A PostgreSQL URL may end in `?schema=<name>`
 * (default `ferry`), which is Ferry's and is not passed to the driver.
 */
export type StoreLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; connectionString: string; schema: string }
  | { kind: 'esdb'; connectionString: string }
  | { kind: 'mongodb'; url: string };

const ACCEPTED = {
  event: ['sqlite', 'postgres', 'esdb'],
  read: ['sqlite', 'postgres', 'mongodb'],
} as const;

const SPELLINGS = {
  event: 'sqlite:<file>, postgres://… or esdb://… (kurrentdb://…)',
  read: 'sqlite:<file>, postgres://… or mongodb://…',
} as const;

const kindOf = (scheme: string): StoreLocation['kind'] | undefined =>
  (
    ({
      sqlite: 'sqlite',
      postgres: 'postgres',
      postgresql: 'postgres',
      esdb: 'esdb',
      'esdb+discover': 'esdb',
      kurrentdb: 'esdb',
      'kurrentdb+discover': 'esdb',
      kurrent: 'esdb',
      mongodb: 'mongodb',
      'mongodb+srv': 'mongodb',
    }) as Record<string, StoreLocation['kind']>
  )[scheme];

/** `sqlite:` alone is the default file in the data directory; a relative path is relative to it too. */
const sqliteFile = (rest: string, dataDir: string, defaultFile: string) => {
  const path = rest.replace(/^\/\//, '');
  if (path === '') return join(dataDir, defaultFile);
  return isAbsolute(path) ? path : join(dataDir, path);
};

const postgresLocation = (url: string): StoreLocation => {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'ferry';
  parsed.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`schema "${schema}": use lower-case letters, digits and _ (at most 63)`);
  return { kind: 'postgres', connectionString: parsed.toString(), schema };
};

/**
 * Reads a store URL; throws one line naming the setting when it is not one this store takes. Only the
 * scheme is checked here: whether the server answers is the adapter's to say when it connects.
 */
export const parseStoreUrl = (
  store: 'event' | 'read',
  setting: string,
  url: string,
  dataDir: string,
  defaultFile: string,
): StoreLocation => {
  const scheme = url.match(/^([a-z][a-z0-9+.-]*):/i)?.[1]?.toLowerCase() ?? '';
  const kind = kindOf(scheme);
  if (!kind || !(ACCEPTED[store] as readonly string[]).includes(kind))
    throw new Error(
      `${setting}: "${scheme ? `${scheme}:` : url}" is not a ${store} store; use ${SPELLINGS[store]}`,
    );
  try {
    if (kind === 'sqlite')
      return { kind, file: sqliteFile(url.slice(scheme.length + 1), dataDir, defaultFile) };
    if (kind === 'postgres') return postgresLocation(url);
    new URL(url);
    return kind === 'esdb' ? { kind, connectionString: url } : { kind, url };
  } catch (error) {
    throw new Error(`${setting}: not a valid URL (${(error as Error).message})`);
  }
};
