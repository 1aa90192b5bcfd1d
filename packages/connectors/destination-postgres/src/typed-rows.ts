import type { ColumnKind } from '@ferry/protocol';
import { CopyLines } from './copy-lines.ts';
import { textField } from './copy-text.ts';
import { addEmittedAtField, addIdField, type EmittedAt, JSONB_VERSION } from './raw-rows.ts';

/** The bigints a 64-bit integer holds. */
const INT8_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const DECIMAL_INTEGER = /^-?\d+$/;

/** One batch's rows of a typed table (see TypedRows). */
export interface TypedBatch {
  rows: Buffer;
  /**
   * The text line of the first row with an integer the binary rows could not carry, which the server's bigint
   * input rejects; `rows` then ends before it.
   */
  failing?: Buffer;
}

/**
 * A stream's typed rows (its id, its values as `typedValue` gives them in column order, its emitted_at), in
 * COPY's binary format when the typed table's columns have the types Ferry creates them with (tables.ts):
 * the server then stores the 8 bytes of a double or a bigint instead of parsing their digits, and the
 * process writes them instead of printing them. Otherwise (a column whose type was changed since) in COPY's
 * text format, which the server converts to whatever the column is, as it always did.
 *
 * The binary rows hold what the text held: a double as the double `String` prints (the shortest text that
 * reads back to it, so the same one, but -0 printed as 0); an integer as the bigint its text reads as. An
 * integer whose text the bigint input rejects (beyond 2^63, or 1e+21 and above, printed with an exponent)
 * cannot be put in the binary rows, and the text COPY failed on its row, or on an earlier one: the batch's
 * binary rows end before that row, which is kept as its text line for the load to send after them, so the
 * server fails on the same row, and column, with the same error.
 */
export class TypedRows {
  readonly binary: boolean;
  private readonly kinds: ColumnKind[];
  private readonly lines = new CopyLines();
  private rows = 0;
  /** Whether the row being added has an integer the binary format cannot carry. */
  private unreadable = false;
  /** Where the first such row of the batch starts, and its text line. */
  private failing: { at: number; line: string } | undefined;

  constructor(kinds: ColumnKind[], binary: boolean) {
    this.kinds = kinds;
    this.binary = binary;
  }

  /** A record's row: `id` is the uuid's 16 bytes. */
  add(id: Buffer, values: unknown[], emittedAt: EmittedAt): void {
    if (!this.binary) {
      this.lines.add(textLine(id, values, emittedAt));
      return;
    }
    if (this.rows++ === 0) this.lines.addBinaryHeader();
    const at = this.lines.length;
    this.lines.addBinaryRow(values.length + 2);
    addIdField(this.lines, id);
    for (let i = 0; i < values.length; i++) this.addField(this.kinds[i]!, values[i]);
    addEmittedAtField(this.lines, emittedAt);
    if (this.unreadable) this.failing ??= { at, line: textLine(id, values, emittedAt) };
    this.unreadable = false;
  }

  /** The rows gathered since the last call (the buffer is CopyLines', reused after the next take). */
  take(): TypedBatch {
    if (this.rows > 0) this.lines.addBinaryTrailer();
    const rows = this.lines.take();
    const failing = this.failing;
    this.rows = 0;
    this.failing = undefined;
    if (!failing) return { rows };
    // The rows end where the failing one starts: the trailer goes over its field count.
    rows.writeInt16BE(-1, failing.at);
    return { rows: rows.subarray(0, failing.at + 2), failing: Buffer.from(failing.line) };
  }

  private addField(kind: ColumnKind, value: unknown): void {
    if (value === null) this.lines.addNullField();
    else if (kind === 'integer') this.addInteger(value as number);
    // String(-0) is "0": the text stored 0.
    else if (kind === 'number') this.lines.addFloat64Field((value as number) === 0 ? 0 : (value as number));
    else if (kind === 'boolean') this.lines.addBooleanField(value as boolean);
    else if (kind === 'string') this.lines.addTextField(value as string);
    else this.lines.addVersionedText(JSONB_VERSION, value as string);
  }

  /** An integer as the bigint its text `String(n)` reads as (safe integers print exactly; others may not). */
  private addInteger(n: number): void {
    if (Number.isSafeInteger(n)) {
      this.lines.addInt64Field(n);
      return;
    }
    const text = String(n);
    const exact = DECIMAL_INTEGER.test(text) ? BigInt(text) : undefined;
    if (exact !== undefined && exact >= INT8_RANGE[0] && exact <= INT8_RANGE[1]) {
      this.lines.addBigInt64Field(exact);
      return;
    }
    this.unreadable = true;
    this.lines.addNullField(); // never sent (see take)
  }
}

/** A row as a line of COPY's text format: the id as the 32 hex digits PostgreSQL's uuid input takes. */
function textLine(id: Buffer, values: unknown[], emittedAt: EmittedAt): string {
  let line = id.toString('hex');
  for (const value of values) line += `\t${textField(value)}`;
  return `${line}\t${emittedAt.text}\n`;
}
