import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { tableOf } from './names.ts';

interface TableStatements {
  get: StatementSync;
  /** (id): the row, tombstone included. */
  getVersioned: StatementSync;
  /** (id, doc or null for a tombstone, position): lands only over an older row. */
  write: StatementSync;
  clear: StatementSync;
}

/**
 * A collection's table: the document as JSON (null for a tombstone, the trace of a delete) and the
 * position of the commit that last wrote it, which a write must exceed to land.
 */
export const createTableSql = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT, position INTEGER NOT NULL)`;

/**
 * The tables of the collections, created on first write. Another process may create one too, so a table
 * not known yet is looked up again instead of being remembered as absent.
 */
export class CollectionTables {
  readonly #db: DatabaseSync;
  readonly #known = new Map<string, TableStatements>();
  readonly #lookup: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#lookup = db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?");
  }

  /** The statements of an existing collection, null when it was never written. */
  existing(collection: string): TableStatements | null {
    const table = tableOf(collection);
    const known = this.#known.get(table);
    if (known) return known;
    return this.#lookup.get(table) ? this.#remember(table) : null;
  }

  /** Creates the table when needed; call it inside the writing transaction. */
  writable(collection: string): TableStatements {
    const table = tableOf(collection);
    const known = this.#known.get(table);
    if (known) return known;
    this.#db.exec(createTableSql(table));
    return this.#remember(table);
  }

  #remember(table: string): TableStatements {
    const statements = {
      get: this.#db.prepare(`SELECT doc FROM ${table} WHERE id = ? AND doc IS NOT NULL`),
      getVersioned: this.#db.prepare(`SELECT doc, position FROM ${table} WHERE id = ?`),
      write: this.#db.prepare(
        `INSERT INTO ${table} (id, doc, position) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE ` +
          `SET doc = excluded.doc, position = excluded.position WHERE excluded.position > ${table}.position`,
      ),
      clear: this.#db.prepare(`DELETE FROM ${table}`),
    };
    this.#known.set(table, statements);
    return statements;
  }
}
