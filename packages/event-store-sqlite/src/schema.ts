import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** How long a writer waits for another connection's write lock before giving up. */
const busyTimeoutMs = 5_000;

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
 * Opens (creating if needed) the event log file. WAL lets readers run beside the writer;
 * `synchronous = FULL` syncs every commit, so an acknowledged append survives kill -9 and power loss.
 */
export function openEventLog(file: string): DatabaseSync {
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  enableWal(db);
  db.exec('PRAGMA synchronous = FULL');
  // AUTOINCREMENT: a position is never reused, even after the newest event's transaction rolled back.
  db.exec(`CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    stream TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream, revision)
  )`);
  return db;
}
