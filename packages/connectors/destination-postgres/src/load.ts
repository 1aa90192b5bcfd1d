import { finished } from 'node:stream/promises';
import { quoteIdent } from '@ferry/postgres-common';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BINARY_FORMAT } from './copy-lines.ts';
import type { StreamTable } from './tables.ts';
import type { TypedBatch } from './typed-rows.ts';

/** Sends `lines` to `COPY <into> FROM STDIN <format>`: one statement and one parse per batch. */
async function copyIn(client: pg.Client, into: string, lines: Buffer, format = ''): Promise<void> {
  if (lines.length === 0) return;
  const copy = client.query(copyFrom(`COPY ${into} FROM STDIN ${format}`));
  copy.end(lines);
  await finished(copy);
}

/**
 * Loads one stream's batches: raw rows (binary) into its raw table, typed rows (binary, or text: see
 * typed-rows.ts) into its typed table. With append_dedup the typed rows go through a session-local staging
 * table first, whence one INSERT ... ON CONFLICT replaces the row of each key (the batch holds one row per key).
 */
export class StreamLoader {
  readonly table: StreamTable;
  private readonly client: pg.Client;
  private readonly stage: string | undefined;
  private readonly names: string[];
  private readonly typedFormat: string;

  /** `binary`: whether the typed table takes binary rows (see tables.ts). */
  constructor(client: pg.Client, table: StreamTable, index: number, binary: boolean) {
    this.client = client;
    this.table = table;
    this.typedFormat = binary ? BINARY_FORMAT : '';
    this.names = ['_airbyte_ab_id', ...table.columns.map((c) => c.name), '_airbyte_emitted_at'].map(
      quoteIdent,
    );
    this.stage = table.mode === 'append_dedup' ? `pg_temp._airbyte_stage_${index}` : undefined;
  }

  /** Creates the staging table, outside any transaction so that it lasts the session. */
  async prepare(): Promise<void> {
    if (this.stage)
      await this.client.query(`CREATE TEMP TABLE ${this.stage} (LIKE ${this.table.typedWriteTo})`);
  }

  async load(lines: { raw: Buffer; typed: TypedBatch }): Promise<void> {
    const columns = `(${this.names.join(', ')})`;
    await copyIn(
      this.client,
      `${this.table.writeTo} (_airbyte_ab_id, _airbyte_data, _airbyte_emitted_at)`,
      lines.raw,
      BINARY_FORMAT,
    );
    const typed = lines.typed;
    const into = `${this.stage ?? this.table.typedWriteTo} ${columns}`;
    await copyIn(this.client, into, typed.rows, this.typedFormat);
    if (typed.failing) {
      // The row the binary rows could not carry, as the text line the server failed on: it fails again.
      await copyIn(this.client, into, typed.failing);
      throw new Error(`the server took a row it had rejected: ${typed.failing.toString('utf8')}`);
    }
    if (!this.stage || typed.rows.length === 0) return;
    const keys = this.table.columns.filter((c) => c.key).map((c) => quoteIdent(c.name));
    await this.client.query(
      `INSERT INTO ${this.table.typedWriteTo} ${columns} SELECT ${this.names.join(', ')} FROM ${this.stage}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${this.names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    );
    await this.client.query(`TRUNCATE ${this.stage}`);
  }
}
