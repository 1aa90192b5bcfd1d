import { typedValue } from '@ferry/protocol';
import { CopyLines } from './copy-lines.ts';
import { textField } from './copy-text.ts';
import { addRawRow, type EmittedAt } from './raw-rows.ts';
import type { StreamTable } from './tables.ts';
import { type TypedBatch, TypedRows } from './typed-rows.ts';

/** A record's row of the typed table, kept until the batch is taken (append_dedup keeps the newest of a key). */
interface KeptRow {
  id: Buffer;
  values: unknown[];
  emittedAt: EmittedAt;
}

/**
 * The records of one stream not yet sent, as rows of COPY's binary format for its raw table (see raw-rows.ts)
 * and rows for its typed table (see typed-rows.ts). With append_dedup the typed rows are kept one per key, the
 * newest: one INSERT ... ON CONFLICT may not touch a row twice, and rows arrive in cursor order.
 */
export class StreamBatch {
  /** Records without a primary key value so far: in the raw table only. */
  keyless = 0;
  private records = 0;
  private readonly raw = new CopyLines();
  private readonly typed: TypedRows;
  /** With append_dedup, the newest row of each key (its key fields as COPY text, tab-joined: unambiguous). */
  private newest = new Map<string, KeptRow>();

  readonly table: StreamTable;

  /** `binary`: whether the typed table takes binary rows (see tables.ts). */
  constructor(table: StreamTable, binary: boolean) {
    this.table = table;
    this.typed = new TypedRows(
      table.columns.map((c) => c.kind),
      binary,
    );
  }

  get size(): number {
    return this.records;
  }

  /** A record with its id, the uuid's 16 bytes. */
  add(id: Buffer, data: Record<string, unknown>, emittedAt: EmittedAt): void {
    if (this.records++ === 0) this.raw.addBinaryHeader();
    addRawRow(this.raw, id, JSON.stringify(data), emittedAt);
    const columns = this.table.columns;
    const values = new Array<unknown>(columns.length);
    let key = '';
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      values[i] = typedValue(c.kind, data[c.name]);
      if (c.key) {
        if (values[i] === null) {
          this.keyless++;
          return;
        }
        key += `${textField(values[i])}\t`;
      }
    }
    if (this.table.mode === 'append_dedup') this.newest.set(key, { id, values, emittedAt });
    else this.typed.add(id, values, emittedAt);
  }

  /** The rows gathered since the last call, and an empty batch for what follows. */
  take(): { raw: Buffer; typed: TypedBatch } {
    for (const r of this.newest.values()) this.typed.add(r.id, r.values, r.emittedAt);
    this.newest = new Map();
    if (this.records > 0) this.raw.addBinaryTrailer();
    this.records = 0;
    return { raw: this.raw.take(), typed: this.typed.take() };
  }
}
