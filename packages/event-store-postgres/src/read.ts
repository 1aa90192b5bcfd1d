import type { EventMetadata, EventWithoutMetadata, ReadAllOptions, RecordedEvent } from '@ferry/event-store';
import type { Pool } from 'pg';
import type { Tables } from './schema.ts';

// bigint columns arrive as strings (they may exceed 2^53); positions and revisions stay far below.
interface EventRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

const columnsWithoutMetadata = 'position, id, stream, revision, type, data';
const columns = `${columnsWithoutMetadata}, metadata`;

function withoutMetadata(row: Omit<EventRow, 'metadata'>): EventWithoutMetadata {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    streamName: row.stream,
    revision: Number(row.revision),
    position: Number(row.position),
  };
}

function toRecorded(row: EventRow): RecordedEvent {
  return { ...withoutMetadata(row), metadata: row.metadata };
}

/**
 * Every statement sees a prefix of the log: positions are handed out under a row lock held until commit, so
 * they commit in order (append.ts). Reading after a checkpoint therefore never skips a later commit.
 */
export function readAfter(
  pool: Pool,
  tables: Tables,
  options: ReadAllOptions & { metadata?: undefined },
): Promise<RecordedEvent[]>;
export function readAfter(
  pool: Pool,
  tables: Tables,
  options: ReadAllOptions,
): Promise<RecordedEvent[] | EventWithoutMetadata[]>;
export async function readAfter(
  pool: Pool,
  tables: Tables,
  { fromPosition = 0, limit, types, metadata }: ReadAllOptions,
): Promise<RecordedEvent[] | EventWithoutMetadata[]> {
  // Without types, `$3` is null and the condition holds for every row; with them, the rows of other types
  // are skipped by the server, so their jsonb is neither sent nor parsed here; nor is the metadata column
  // when it is not wanted.
  const { rows } = await pool.query<EventRow>(
    `SELECT ${metadata === false ? columnsWithoutMetadata : columns} FROM ${tables.events} ` +
      'WHERE position > $1 AND ($3::text[] IS NULL OR type = ANY($3)) ORDER BY position LIMIT $2',
    [fromPosition, limit ?? null, types ?? null],
  );
  return metadata === false ? rows.map(withoutMetadata) : rows.map(toRecorded);
}

export async function readStreamFrom(
  pool: Pool,
  tables: Tables,
  stream: string,
  fromRevision: number,
): Promise<RecordedEvent[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT ${columns} FROM ${tables.events} WHERE stream = $1 AND revision >= $2 ORDER BY revision`,
    [stream, fromRevision],
  );
  return rows.map(toRecorded);
}

/** The committed head: every position up to it is committed and visible, none after it is. */
export async function readHead(pool: Pool, tables: Tables): Promise<number> {
  const { rows } = await pool.query<{ position: string }>(`SELECT position FROM ${tables.head}`);
  return Number(rows[0]?.position ?? 0);
}
