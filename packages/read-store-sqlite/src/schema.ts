import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '@ferry/sqlite';

/**
 * Opens (creating if needed) the read-model file. `synchronous = NORMAL` is enough here: in WAL mode a
 * power cut can lose only the newest commits, and each takes its checkpoint with it, so the projection
 * simply replays them.
 */
export function openReadModels(file: string): DatabaseSync {
  const db = openDatabase(file, 'NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  return db;
}
