import {
  type AppendResult,
  checkExpectedRevision,
  type ExpectedRevision,
  type NewEvent,
  recognisedRetry,
} from '@ferry/event-store';
import type { Pool } from 'pg';

type StoredRow = { id: string; stream: string; revision: number; position: number };
import { readHead } from './read.ts';
import type { Tables } from './schema.ts';

const uniqueViolation = '23505';
/** Each lost race means another append committed; only 'any' on a very busy stream loses more than one. */
const attempts = 20;

/**
 * Checks the expected revision (and recognises a retry by its event ids), then writes every event in one
 * statement, hence one transaction. The checks read without locks; the unique (stream, revision) and id
 * constraints catch the append that raced past them, and the checks run again: they now see the winner, so
 * the loser gets `WrongExpectedRevisionError` (or its retry recognised, or for 'any' the next revision).
 */
export function appendEvents(
  pool: Pool,
  tables: Tables,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  return againAfterLostRace(async () => {
    const { current, stored } = await streamAndIds(pool, tables, stream, events);
    const retry = recognisedRetry(stored, stream, events, expected);
    if (retry) return retry;
    checkExpectedRevision(stream, expected, current);
    if (events.length === 0) return { nextExpectedRevision: current, position: await readHead(pool, tables) };
    const position = await insert(pool, tables, stream, current + 1, events);
    return { nextExpectedRevision: current + events.length, position };
  });
}

async function againAfterLostRace<T>(append: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await append();
    } catch (error) {
      const lostRace = (error as { code?: unknown }).code === uniqueViolation;
      if (!lostRace || attempt === attempts) throw error;
    }
  }
}

/** In one round trip: the stream's last revision (-1: none), and where each event's id is stored already. */
async function streamAndIds(pool: Pool, tables: Tables, stream: string, events: NewEvent[]) {
  // json_agg hands the stored rows over as one JSON document: bigints come back as numbers there.
  const { rows } = await pool.query<{ current: string | null; stored: Array<StoredRow> | null }>(
    `SELECT (SELECT max(revision) FROM ${tables.events} WHERE stream = $1) AS current,
       (SELECT json_agg(json_build_object('id', id, 'stream', stream, 'revision', revision, 'position', position))
        FROM ${tables.events} WHERE id = ANY($2::text[])) AS stored`,
    [stream, events.map((event) => event.id)],
  );
  const byId = new Map((rows[0]?.stored ?? []).map((row) => [row.id, row]));
  return {
    current: rows[0]?.current == null ? -1 : Number(rows[0].current),
    stored: events.map((event) => byId.get(event.id)),
  };
}

/**
 * The order guarantee (ADR 0008): positions come from the one row of `log_head`, updated in the same
 * statement as the insert. Its row lock is held until commit, so appends take positions and commit in the
 * same order, and a reader never sees position n+1 before n. A failed append rolls its positions back with
 * it: positions have no gaps. The notification is sent at commit, to the listeners of every process.
 */
async function insert(pool: Pool, tables: Tables, stream: string, revision: number, events: NewEvent[]) {
  const { rows } = await pool.query<{ position: string }>(
    `WITH head AS (
       UPDATE ${tables.head} SET position = position + $3 RETURNING position
     ), inserted AS (
       INSERT INTO ${tables.events} (position, id, stream, revision, type, data, metadata)
       SELECT head.position - $3 + e.n, e.id, $1, $2 + e.n - 1, e.type, e.data, e.metadata
       FROM head, unnest($4::text[], $5::text[], $6::json[], $7::json[]) WITH ORDINALITY
         AS e(id, type, data, metadata, n)
       RETURNING position
     ), notified AS (SELECT pg_notify($8, ''))
     SELECT (SELECT max(position) FROM inserted) AS position FROM notified`,
    [
      stream,
      revision,
      events.length,
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => JSON.stringify(event.metadata)),
      tables.channel,
    ],
  );
  return Number(rows[0]?.position);
}
