import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The embedded stores' files in a data directory. */
export const eventsFile = (dataDir: string) => join(dataDir, 'events.sqlite');
export const readModelsFile = (dataDir: string) => join(dataDir, 'read-models.sqlite');

/** Opens a SQLite file read-only for one piece of work; WAL readers do not disturb the running system. */
export const withDatabase = <T>(file: string, work: (db: DatabaseSync) => T): T => {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
};

export interface StoredEvent {
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

export const storedEvents = (dataDir: string): StoredEvent[] =>
  withDatabase(
    eventsFile(dataDir),
    (db) =>
      db
        .prepare('SELECT position, stream, revision, type, data, metadata FROM events ORDER BY position')
        .all() as unknown as StoredEvent[],
  );

/** Every table of the read-model file, each row's JSON document parsed, rows sorted by id. */
export const dumpReadModels = (
  dataDir: string,
  options: { withCheckpoints?: boolean } = {},
): Record<string, unknown[]> =>
  withDatabase(readModelsFile(dataDir), (db) => {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
        name: string;
      }>
    )
      .map((t) => t.name)
      .filter((name) => !name.startsWith('sqlite_') && (options.withCheckpoints || name !== 'checkpoints'));
    return Object.fromEntries(
      tables.map((table) => {
        const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
          (c) => c.name,
        );
        const key = columns.includes('id') ? 'id' : columns[0]!;
        const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all() as Array<
          Record<string, unknown>
        >;
        return [
          table,
          rows.map((row) =>
            typeof row.doc === 'string' ? { ...row, doc: JSON.parse(row.doc) } : { ...row },
          ),
        ];
      }),
    );
  });

/** Every file under a directory (recursively), with its bytes. */
export const filesUnder = (dir: string): Array<{ path: string; bytes: Buffer }> =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
