import { copyField, copyText, NULL_FIELD } from './copy-text.ts';
import type { StreamTable } from './tables.ts';

/**
 * The records of one stream not yet sent, as lines of COPY's text format for its raw table and its typed
 * table. With append_dedup the typed lines are kept one per key, the newest: one INSERT ... ON CONFLICT may
 * not touch a row twice, and rows arrive in cursor order.
 */
export class StreamBatch {
  /** Records without a primary key value so far: in the raw table only. */
  keyless = 0;
  private raw: string[] = [];
  private typed: string[] = [];
  /** With append_dedup, the newest typed line of each key (its fields, tab-joined: escaped, so unambiguous). */
  private newest = new Map<string, string>();

  readonly table: StreamTable;

  constructor(table: StreamTable) {
    this.table = table;
  }

  get size(): number {
    return this.raw.length;
  }

  add(id: string, data: Record<string, unknown>, emittedAt: string): void {
    this.raw.push(`${id}\t${copyText(JSON.stringify(data))}\t${emittedAt}\n`);
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
    line += `\t${emittedAt}\n`;
    if (this.table.mode === 'append_dedup') this.newest.set(key, line);
    else this.typed.push(line);
  }

  /** The lines gathered since the last call, and an empty batch for what follows. */
  take(): { raw: string; typed: string } {
    const typed = this.newest.size > 0 ? [...this.newest.values()] : this.typed;
    const taken = { raw: this.raw.join(''), typed: typed.join('') };
    this.raw = [];
    this.typed = [];
    this.newest = new Map();
    return taken;
  }
}
