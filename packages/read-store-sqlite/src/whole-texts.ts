import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { FieldTexts, FindOptions } from '@ferry/read-store';
import { inTransaction } from '@ferry/sqlite';
import { columnsOf, whereConditions } from './query.ts';

/**
 * What is known of one live document as of the position that last wrote it, by the slots of its table
 * (`Slots`): arrays rather than a map each, as there are as many of these as documents (10,000 and more).
 */
interface Known {
  position: number;
  /** By where slot: whether it matched that `where`; a hole when never judged by it. */
  matches: boolean[];
  /**
   * By field slot: the field's text (null when the document lacks the field), held only while it matches a
   * `where` it was read for: a hole when not held.
   */
  texts: Array<string | null>;
}

/** A table's `where`s and fields, each numbered the first time it is asked for. */
class Slots {
  readonly #slots = new Map<string, number>();
  of(key: string): number {
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = this.#slots.size;
      this.#slots.set(key, slot);
    }
    return slot;
  }
}

interface Table {
  live: Map<string, Known>;
  wheres: Slots;
  fields: Slots;
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
  readonly #tables = new Map<string, Table>();
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
    columnsOf(fields, []); // checks the field names, even when no document needs reading
    const conditionParams: SQLInputValue[] = [];
    const conditions = ['1', ...whereConditions(where, conditionParams)].join(' AND ');
    this.#index(table);
    const known = this.#table(table);
    const w = known.wheres.of(`${conditions} ${JSON.stringify(conditionParams)}`);
    const slots = fields.map((field) => known.fields.of(field));
    const live = inTransaction(
      this.#db,
      () => {
        const live = this.#live(table, known);
        const { stale, wanted } = staleOf(live, w, slots);
        const fieldsWanted = [...wanted].map((i) => ({ field: fields[i]!, slot: slots[i]! }));
        if (stale.length > 0)
          this.#readAgain(table, live, stale, { w, conditions, conditionParams }, fieldsWanted);
        return live;
      },
      'DEFERRED',
    );
    const found: FieldTexts[] = [];
    for (const [id, doc] of live) {
      if (doc.matches[w]) found.push({ id, texts: slots.map((f) => doc.texts[f] ?? undefined) });
    }
    return found;
  }

  /**
   * Reads the `stale` documents by id: whether each matches the `where` (by its SQL conditions, as `find`
   * judges), and of those that match the texts of the fields wanted that they lack.
   */
  #readAgain(
    table: string,
    live: Map<string, Known>,
    stale: string[],
    judge: { w: number; conditions: string; conditionParams: SQLInputValue[] },
    wanted: Array<{ field: string; slot: number }>,
  ): void {
    const params: SQLInputValue[] = [];
    const columns = columnsOf(
      wanted.map(({ field }) => field),
      params,
    );
    const sql =
      `SELECT ${columns}, (${judge.conditions}) FROM ${table} ` +
      'WHERE doc IS NOT NULL AND id IN (SELECT value FROM json_each(?))';
    const rows = this.#rows(sql, [...params, ...judge.conditionParams, JSON.stringify(stale)]);
    for (const row of rows) {
      const doc = live.get(row[0] as string)!;
      const matches = row[wanted.length + 1] === 1;
      doc.matches[judge.w] = matches;
      if (!matches) continue;
      for (const [i, { slot }] of wanted.entries()) doc.texts[slot] ??= (row[i + 1] as string | null) ?? null;
    }
  }

  /** Forgets a collection (its documents were reset). */
  forget(table: string): void {
    this.#tables.delete(table);
  }

  #table(table: string): Table {
    let known = this.#tables.get(table);
    if (!known) {
      known = { live: new Map(), wheres: new Slots(), fields: new Slots() };
      this.#tables.set(table, known);
    }
    return known;
  }

  /**
   * Every live document's id and position as the file holds them, each with what is known of it at that
   * position: what was known at another position, or of a document no longer there, is dropped.
   */
  #live(table: string, known: Table): Map<string, Known> {
    const live = new Map<string, Known>();
    const rows = this.#rows(`SELECT id, position FROM ${table} WHERE doc IS NOT NULL ORDER BY id`, []);
    for (const [id, position] of rows as Array<[string, number]>) {
      const doc = known.live.get(id);
      live.set(id, doc?.position === position ? doc : { position, matches: [], texts: [] });
    }
    known.live = live;
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

/**
 * The documents to read again, and which of the fields asked for (by index) to read of them: all for one
 * never judged by this `where` (slot `w`), the missing ones for one that matched (web_backend's list after
 * connections/list's: the actors' ids, not the views again).
 */
const staleOf = (live: Map<string, Known>, w: number, slots: number[]) => {
  const stale: string[] = [];
  const wanted = new Set<number>();
  for (const [id, doc] of live) {
    const matches = doc.matches[w];
    if (matches === false) continue;
    let lacking = false;
    for (const [i, slot] of slots.entries()) {
      if (matches !== undefined && doc.texts[slot] !== undefined) continue;
      lacking = true;
      wanted.add(i);
    }
    if (lacking || matches === undefined) stale.push(id);
  }
  return { stale, wanted };
};
