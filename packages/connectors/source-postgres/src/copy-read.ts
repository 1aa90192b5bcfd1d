import { LineBytes } from '@ferry/protocol';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type FieldJson, fieldJson, NULL_FIELD, unescapeField } from './copy-fields.ts';
import type { RecordLines } from './record-lines.ts';

const NEWLINE = 10;
/** Names an object lists before its other keys (array indices), whatever the column order. */
const INDEX = /^(0|[1-9]\d*)$/;

/**
 * Whether the columns print as the cursor's row objects print: each name once, none an array index (listed
 * first in an object) nor `__proto__` (which sets the row's prototype instead of a key).
 */
function printableInOrder(names: string[]): boolean {
  return (
    new Set(names).size === names.length &&
    names.every((n) => n !== '__proto__' && !(INDEX.test(n) && Number(n) < 2 ** 32 - 1))
  );
}

/** One COPY text line of the query's columns as the JSON of its row object (`JSON.stringify(row)`). */
class RowJson {
  private readonly keys: string[];
  private readonly values: FieldJson[];

  constructor(fields: pg.FieldDef[], types: pg.CustomTypesConfig) {
    this.keys = fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f.name)}:`);
    this.values = fields.map((f) => fieldJson(f.dataTypeID, types));
  }

  of(line: string): string {
    if (this.keys.length === 0) return '{}';
    const fields = line.split('\t');
    let json = '';
    for (let i = 0; i < this.keys.length; i++) {
      const field = fields[i]!;
      json += this.keys[i]! + (field === NULL_FIELD ? 'null' : this.values[i]!(unescapeField(field)));
    }
    return `${json}}`;
  }
}

/**
 * Room for a chunk's lines: a COPY text row grows by its keys, quotes and the RECORD's envelope as a line, to
 * about three times its bytes for narrow rows (the buffer grows when it is not enough).
 */
const LINES_PER_COPY_BYTE = 3;

/** The chunks of a COPY's output as whole rows: a row split across chunks waits for its end. */
class CopyChunks {
  private rest: Buffer | undefined;

  /** The COPY text lines the chunk ends, if it ends any. */
  rows(chunk: Buffer): string[] | undefined {
    const bytes = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = bytes.lastIndexOf(NEWLINE);
    // Copied, so that the chunk the rest came in can be freed.
    this.rest = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : undefined;
    return end === -1 ? undefined : bytes.toString('utf8', 0, end).split('\n');
  }
}

/**
 * The RECORD lines of a query's rows read with `COPY (query) TO STDOUT`, UTF-8 encoded, one buffer per chunk
 * the server sent:
 * no row objects, and each value printed from its text (see fieldJson), the same bytes the cursor's rows give.
 * One read-only repeatable-read transaction, as the cursor's. Returns false, having yielded nothing, when the
 * columns' names would not print in column order (see printableInOrder): the caller reads with the cursor.
 */
export async function* copyRecordLines(
  client: pg.Client,
  sql: string,
  records: RecordLines,
  types: pg.CustomTypesConfig,
): AsyncGenerator<Buffer, boolean> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // Whether the COPY is still under way on the server: until it is over, the session can take no ROLLBACK.
  let copying = false;
  let done = false;
  try {
    const { fields } = await client.query(`${sql} LIMIT 0`);
    if (!printableInOrder(fields.map((f) => f.name))) return false;
    const row = new RowJson(fields, types);
    const copy = client.query(copyTo(`COPY (${sql}) TO STDOUT`));
    copying = true;
    const chunks = new CopyChunks();
    const lines = new LineBytes();
    try {
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        const rows = chunks.rows(chunk);
        if (rows === undefined) continue;
        const emittedAt = Date.now();
        lines.start(chunk.length * LINES_PER_COPY_BYTE);
        for (const line of rows) lines.add(records.lineOf(row.of(line), emittedAt));
        yield lines.take();
      }
    } catch (err) {
      copying = false; // the server ended the COPY with this error
      throw err;
    }
    copying = false;
    await client.query('COMMIT');
    done = true;
    return true;
  } finally {
    // Abandoned mid-copy (the iteration has destroyed the stream), the session is left for the caller to
    // close, which ends the COPY and the transaction with it.
    if (!done && !copying) await client.query('ROLLBACK').catch(() => {});
  }
}
