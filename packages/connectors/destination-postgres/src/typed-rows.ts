import type { ColumnKind } from '@ferry/protocol';
import { CopyLines } from './copy-lines.ts';
import { textField } from './copy-text.ts';
import { addEmittedAtField, addIdField, type EmittedAt, JSONB_VERSION } from './raw-rows.ts';

/** The bigints a 64-bit integer holds. */
const INT8_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const DECIMAL_INTEGER = /^-?\d+$/;

/** One batch's rows of a typed table, and the first value the server is to reject (see load.ts). */
export interface TypedBatch {
  rows: Buffer;
  /** The text of an integer the binary rows could not carry, which the server's bigint input rejects. */
  unreadable?: string;
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
 * cannot be put in the binary rows: its text is kept, and the load asks the server to read it, which fails
 * with the same error the text COPY would have failed with.
 */
export class TypedRows {
  readonly binary: boolean;
  private readonly kinds: ColumnKind[];
  private readonly lines = new CopyLines();
  private rows = 0;
  private unreadable: string | undefined;

  constructor(kinds: ColumnKind[], binary: boolean) {
    this.kinds = kinds;
    this.binary = binary;
  }

  /** A record's row: `id` is its id as 32 hex digits, `idBytes` as the uuid's 16 bytes. */
  add(id: string, idBytes: Uint8Array, values: unknown[], emittedAt: EmittedAt): void {
    if (!this.binary) {
      let line = id;
      for (const value of values) line += `\t${textField(value)}`;
      this.lines.add(`${line}\t${emittedAt.text}\n`);
      return;
    }
    if (this.rows++ === 0) this.lines.addBinaryHeader();
    this.lines.addBinaryRow(values.length + 2);
    addIdField(this.lines, idBytes);
    for (let i = 0; i < values.length; i++) this.addField(this.kinds[i]!, values[i]);
    addEmittedAtField(this.lines, emittedAt);
  }

  /** The rows gathered since the last call (the buffer is CopyLines', reused after the next take). */
  take(): TypedBatch {
    if (this.rows > 0) this.lines.addBinaryTrailer();
    const batch: TypedBatch = { rows: this.lines.take() };
    if (this.unreadable !== undefined) batch.unreadable = this.unreadable;
    this.rows = 0;
    this.unreadable = undefined;
    return batch;
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
    this.unreadable ??= text;
    this.lines.addNullField(); // never sent: the load fails first
  }
}
