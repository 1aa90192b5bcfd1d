import { mkdirSync } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** How long a writer waits for another connection's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Switching a new file to WAL needs an exclusive lock that SQLite does not wait for (busy_timeout does not
 * apply): processes opening the same new file at once get "database is locked". A short retry settles it.
 */
function enableWal(db: DatabaseSync): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!/locked|busy/i.test((error as Error).message) || attempt >= 100) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}

/**
 * Opens (creating it and its folder if needed) a SQLite file shared by Ferry's stores: WAL, so readers run
 * beside the writer and several processes can share the file; a busy timeout; and the durability each
 * store needs (`FULL`: every commit synced; `NORMAL`: a power cut may lose only the newest commits).
 */
export function openDatabase(file: string, synchronous: 'FULL' | 'NORMAL'): DatabaseSync {
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enableWal(db);
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  return db;
}

/**
 * Runs `work` in one transaction: all of it lands or none. `IMMEDIATE` (a write transaction) takes the
 * write lock up front; `DEFERRED` takes none, and its reads all see one snapshot of the file (WAL).
 */
export function inTransaction<T>(
  db: DatabaseSync,
  work: () => T,
  begin: 'IMMEDIATE' | 'DEFERRED' = 'IMMEDIATE',
): T {
  db.exec(`BEGIN ${begin}`);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * The environment of a worker thread that opens a store (the SQLite log writer's): this process's, with
 * the compile cache the process enabled (services/ferry's main.ts) named, so the thread loads its modules
 * from the cache as the event loop does. Without it, a thread started from the TypeScript sources loads
 * Node's type stripper (a WebAssembly module) for itself: the server run from its sources held 176 MB
 * idle with it, 158 MB without. A bundle's threads load plain JavaScript either way.
 */
export function threadEnv(): NodeJS.ProcessEnv {
  const cache = getCompileCacheDir();
  return cache ? { ...process.env, NODE_COMPILE_CACHE: cache } : process.env;
}
