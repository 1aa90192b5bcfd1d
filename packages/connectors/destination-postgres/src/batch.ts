import { CopyLines } from './copy-lines.ts';
import { copyField, NULL_FIELD } from './copy-text.ts';
import { addRawHeader, addRawRow, addRawTrailer, type EmittedAt } from './raw-rows.ts';
import type { StreamTable } from './tables.ts';

/**
 * The records of one stream not yet sent, as rows of COPY's binary format for its raw table (see raw-rows.ts)
 * and lines of its text format for its typed table. With append_dedup the typed lines are kept one per key, the newest: one INSERT ... ON CONFLICT may
 * not touch a row twice, and rows arrive in cursor order.
 */
export class StreamBatch {
  /** Records without a primary key value so far: in the raw table only. */
  keyless = 0;
  private records = 0;
  private readonly raw = new CopyLines();
  private readonly typed = new CopyLines();
  /** With append_dedup, the newest typed line of each key (its fields, tab-joined: escaped, so unambiguous). */
  private newest = new Map<string, string>();

  readonly table: StreamTable;

  constructor(table: StreamTable) {
    this.table = table;
  }

  get size(): number {
    return this.records;
  }

  /** A record with its id as 32 hex digits and as 16 bytes. */
  add(id: string, idBytes: Uint8Array, data: Record<string, unknown>, emittedAt: EmittedAt): void {
    if (this.records++ === 0) addRawHeader(this.raw);
    addRawRow(this.raw, idBytes, JSON.stringify(data), emittedAt);
    let line = id;
    let key = '';
    for (const c of this.table.columns) {
      const field = copyField(c.kind, data[c.name]);
      if (c.key) {
        if (field === NULL_FIELD) {
          this.keyless++;
          return;
        }
        key += `${field}\t`;
      }
      line += `\t${field}`;
    }
    line += `\t${emittedAt.text}\n`;
    if (this.table.mode === 'append_dedup') this.newest.set(key, line);
    else this.typed.add(line);
  }

  /** The rows and lines gathered since the last call, and an empty batch for what follows. */
  take(): { raw: Buffer; typed: Buffer } {
    for (const line of this.newest.values()) this.typed.add(line);
    this.newest = new Map();
    if (this.records > 0) addRawTrailer(this.raw);
    this.records = 0;
    return { raw: this.raw.take(), typed: this.typed.take() };
  }
}
