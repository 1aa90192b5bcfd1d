import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { type FieldTexts, type FindOptions, fieldTextsOf } from '@ferry/read-store';
import { inTransaction } from '@ferry/sqlite';
import { columnsOf, whereConditions } from './query.ts';

/** What is known of one live document as of the position that last wrote it. */
interface Known {
  position: number;
  /** Whether it matched each `where` it was judged by (keyed by the conditions' SQL and parameters). */
  matches: Map<string, boolean>;
  /** The texts of the fields asked for while it matched: kept only for documents a list returned. */
  texts: Map<string, string | undefined>;
}

/**
 * `findTexts` of a whole collection in id order (no limit, range or orderBy: a whole list), answered
 * from the texts of earlier reads where the file still holds what they read.
 *
 * Taking each field's text out of its document is most of such a read (SQLite's `->` parses every 2.6 KB
 * connection document again: 126 ms of a 225 ms list of 10,000). The texts are kept in memory with the
 * position that last wrote their document, and each read first takes every live document's id and
 * position from the file, from an index that holds nothing else (10,000 in a few ms); only the documents
 * whose position moved, or that were never judged by this `where`, are read and judged again, by the
 * same SQL conditions `find` uses. So what is answered is what the file holds now, whoever wrote it
 * (another process on the file too), not what this process last wrote; a document gone from the file
 * leaves the memory with that read. A position names one content of a document: positions are the log's,
 * each put lands only above the document's position, and a rebuild writes the same document at the same
 * position (read models are rebuilt byte for byte from the log).
 */
export class WholeTexts {
  readonly #db: DatabaseSync;
  readonly #statement: (sql: string) => StatementSync;
  readonly #tables = new Map<string, Map<string, Known>>();
  readonly #indexed = new Set<string>();

  constructor(db: DatabaseSync, statement: (sql: string) => StatementSync) {
    this.#db = db;
    this.#statement = statement;
  }

  /** Whether `findTexts` with these options reads the whole collection in id order. */
  static covers(options: FindOptions): boolean {
    return options.limit === undefined && options.orderBy === undefined && options.idRange === undefined;
  }

  find(table: string, fields: readonly string[], where: FindOptions['where']): FieldTexts[] {
    // Built first, so that field names are checked even when no document needs reading.
    const params: SQLInputValue[] = [];
    const columns = columnsOf(fields, params);
    const conditionParams: SQLInputValue[] = [];
    const conditions = ['1', ...whereConditions(where, conditionParams)].join(' AND ');
    const key = `${conditions} ${JSON.stringify(conditionParams)}`;
    const read =
      `SELECT ${columns}, position, (${conditions}) FROM ${table} ` +
      'WHERE doc IS NOT NULL AND id IN (SELECT value FROM json_each(?))';
    this.#index(table);
    const known = inTransaction(
      this.#db,
      () => {
        const known = this.#live(table);
        const stale = [...known].filter(([, doc]) => isStale(doc, key, fields)).map(([id]) => id);
        if (stale.length === 0) return known;
        const rows = this.#rows(read, [...params, ...conditionParams, JSON.stringify(stale)]);
        for (const row of rows) {
          const { id, texts } = fieldTextsOf(row, fields);
          const doc = known.get(id)!;
          const matches = row[fields.length + 2] === 1;
          doc.matches.set(key, matches);
          if (matches) for (const [i, field] of fields.entries()) doc.texts.set(field, texts[i]);
        }
        return known;
      },
      'DEFERRED',
    );
    const found: FieldTexts[] = [];
    for (const [id, doc] of known) {
      if (doc.matches.get(key)) found.push({ id, texts: fields.map((field) => doc.texts.get(field)) });
    }
    return found;
  }

  /** Forgets a collection (its documents were reset). */
  forget(table: string): void {
    this.#tables.delete(table);
  }

  /**
   * Every live document's id and position as the file holds them, each with what is known of it at that
   * position: what was known at another position, or of a document no longer there, is dropped.
   */
  #live(table: string): Map<string, Known> {
    const before = this.#tables.get(table);
    const live = new Map<string, Known>();
    const rows = this.#rows(`SELECT id, position FROM ${table} WHERE doc IS NOT NULL ORDER BY id`, []);
    for (const [id, position] of rows as Array<[string, number]>) {
      const doc = before?.get(id);
      live.set(id, doc?.position === position ? doc : { position, matches: new Map(), texts: new Map() });
    }
    this.#tables.set(table, live);
    return live;
  }

  /**
   * The live documents' ids and positions alone, in id order, so that reading them touches neither the
   * documents nor their pages. Made on the first whole read of a collection (once per process; the index
   * outlives it), so that the collections never read whole do not pay for it on every write.
   */
  #index(table: string): void {
    if (this.#indexed.has(table)) return;
    this.#db.exec(
      `CREATE INDEX IF NOT EXISTS ${table}_live ON ${table} (id, position) WHERE doc IS NOT NULL`,
    );
    this.#indexed.add(table);
  }

  #rows(sql: string, params: SQLInputValue[]): unknown[][] {
    const prepared = this.#statement(sql);
    prepared.setReturnArrays(true);
    return prepared.all(...params) as unknown as unknown[][];
  }
}

/** Whether a document must be read again to answer `where` (by its key) with `fields`. */
const isStale = (doc: Known, key: string, fields: readonly string[]): boolean => {
  const matches = doc.matches.get(key);
  return matches === undefined || (matches && fields.some((field) => !doc.texts.has(field)));
};
