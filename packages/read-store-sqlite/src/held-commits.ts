import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from '@ferry/sqlite';

/** The most batches held in one transaction: past about four pages of a replay, SQLite's page cache spills. */
const MOST_HELD = 4;

/**
 * The batches of a catch-up landing together (`commitAll`'s `more`). Each COMMIT writes to the WAL every
 * page its transaction dirtied, and a replay's pages dirty much the same pages of the id indexes (document
 * ids are random): held four at a time, a replay of the bench's log writes 45 % fewer WAL frames.
 *
 * `write` must not fail for a reason of its own once it has written something: the store validates every
 * change of a batch before writing any (`documentWrites`), so what can still fail is SQLite itself (I/O, a
 * full disk). The transaction lands with the first batch that does not pass `more`, after `MOST_HELD`
 * batches, before anything else of the store needs the connection (`land`), and at the end of the turn at
 * the latest. If a held batch's writes or the landing fail, the transaction is rolled back, and every
 * projection it held fails its next commit with that error, as its own commit would have (see port.ts).
 */
export function heldCommits(db: DatabaseSync) {
  let held = 0;
  let heldProjections = new Set<string>();
  const lost = new Map<string, unknown>();

  const abandon = (error: unknown) => {
    if (db.isTransaction) db.exec('ROLLBACK');
    for (const projection of heldProjections) lost.set(projection, error);
    held = 0;
    heldProjections = new Set();
  };
  const land = () => {
    if (held === 0) return;
    try {
      db.exec('COMMIT');
    } catch (error) {
      abandon(error);
      throw error;
    }
    held = 0;
    heldProjections = new Set();
  };
  // The error is kept in `lost` for the projections it held, and thrown at their next commit.
  const landAtEndOfTurn = () => {
    try {
      land();
    } catch {}
  };

  return {
    /** Runs `write` (`projections`' commits) as one commit, held when `more`. */
    commit(projections: readonly string[], write: () => void, more: boolean): void {
      for (const projection of projections) {
        if (lost.has(projection)) throw lost.get(projection);
      }
      if (held === 0 && !more) {
        inTransaction(db, write);
        return;
      }
      if (held === 0) {
        db.exec('BEGIN IMMEDIATE');
        setImmediate(landAtEndOfTurn);
      }
      try {
        write();
      } catch (error) {
        abandon(error);
        throw error;
      }
      held += 1;
      for (const projection of projections) heldProjections.add(projection);
      if (!more || held >= MOST_HELD) land();
    },
    /** Lands what is held: before a write, reset, close or read that needs a transaction of its own. */
    land,
    /** A reset projection starts over: a failed landing no longer fails it. */
    forget(projection: string): void {
      lost.delete(projection);
    },
  };
}
