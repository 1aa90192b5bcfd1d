import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '@ferry/sqlite';

/**
 * Opens (creating if needed) the event log file. WAL lets readers run beside the writer;
 * `synchronous = FULL` syncs every commit, so an acknowledged append survives kill -9 and power loss.
 */
export function openEventLog(file: string): DatabaseSync {
  const db = openDatabase(file, 'FULL');
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
