import type { DatabaseSync } from 'node:sqlite';

/** The most batches held in one transaction: past about four pages of a replay, SQLite's page cache spills. */
const MOST_HELD = 4;

/**
 * The batches of a catch-up landing together, on the catch-up writer's thread (`catch-up-thread.ts`). Each
 * COMMIT writes to the WAL every page its transaction dirtied, and a replay's pages dirty much the same
 * pages of the id indexes (document ids are random): held four at a time, a replay of the bench's log
 * writes 45 % fewer WAL frames. The transaction lands after `MOST_HELD` batches and when asked (`land`);
 * `landed` is called after each COMMIT. If a batch's writes or the COMMIT fail, the transaction is rolled
 * back and the error thrown: every batch it held is lost.
 */
export function heldCommits(db: DatabaseSync, landed: () => void) {
  let held = 0;
  const failing = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      held = 0;
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };
  const land = () => {
    if (held === 0) return;
    failing(() => db.exec('COMMIT'));
    held = 0;
    landed();
  };
  return {
    /** Runs `write` inside the held transaction, landing it once it holds `MOST_HELD` batches. */
    commit(write: () => void): void {
      if (held === 0) db.exec('BEGIN IMMEDIATE');
      failing(write);
      held += 1;
      if (held >= MOST_HELD) land();
    },
    land,
  };
}
