import type { DatabaseSync } from 'node:sqlite';
import { inTransaction, openDatabase } from '@ferry/sqlite';
import { createTableSql } from './tables.ts';

/**
 * Opens (creating if needed) the read-model file. `synchronous = NORMAL` is enough here: in WAL mode a
 * power cut can lose only the newest commits, and each takes its checkpoint with it, so the projection
 * simply replays them.
 */
export function openReadModels(file: string): DatabaseSync {
  const db = openDatabase(file, 'NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  migrateCollectionTables(db);
  return db;
}

const unmigratedSql =
  "SELECT m.name FROM sqlite_master AS m WHERE m.type = 'table' AND m.name LIKE 'docs\\_%' ESCAPE '\\' " +
  "AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) AS c WHERE c.name = 'position') ORDER BY m.name";

/**
 * Files written before writes were monotonic have collection tables without `position` and with
 * `doc NOT NULL`. Each is rebuilt in the current shape, its documents at position 0 (older than any
 * commit), in one transaction that other processes opening the file at once wait for.
 */
function migrateCollectionTables(db: DatabaseSync): void {
  const unmigrated = () =>
    (db.prepare(unmigratedSql).all() as Array<{ name: string }>).map((row) => row.name);
  if (unmigrated().length === 0) return;
  inTransaction(db, () => {
    for (const table of unmigrated()) {
      db.exec(createTableSql('migrating_docs'));
      db.exec(`INSERT INTO migrating_docs (id, doc, position) SELECT id, doc, 0 FROM ${table}`);
      db.exec(`DROP TABLE ${table}`);
      db.exec(`ALTER TABLE migrating_docs RENAME TO ${table}`);
    }
  });
}
