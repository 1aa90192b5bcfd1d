import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

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
 * Opens (creating if needed) the read-model file. `synchronous = NORMAL` is enough here: in WAL mode a
 * power cut can lose only the newest commits, and each takes its checkpoint with it, so the projection
 * simply replays them.
 */
export function openReadModels(file: string): DatabaseSync {
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  enableWal(db);
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  return db;
}

/** Runs `work` in one write transaction: all of it lands or none. */
export function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
