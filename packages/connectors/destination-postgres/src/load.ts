import { finished } from 'node:stream/promises';
import { quoteIdent } from '@ferry/postgres-common';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RAW_COPY_FORMAT } from './raw-rows.ts';
import type { StreamTable } from './tables.ts';

/** Sends `lines` to `COPY <into> FROM STDIN <format>`: one statement and one parse per batch. */
async function copyIn(client: pg.Client, into: string, lines: Buffer, format = ''): Promise<void> {
  if (lines.length === 0) return;
  const copy = client.query(copyFrom(`COPY ${into} FROM STDIN ${format}`));
  copy.end(lines);
  await finished(copy);
}

/**
 * Loads one stream's batches: raw rows (binary) into its raw table, typed lines into its typed table. With
 * append_dedup the typed lines go through a session-local staging table first, whence one
 * INSERT ... ON CONFLICT replaces the row of each key (the batch holds one line per key).
 */
export class StreamLoader {
  readonly table: StreamTable;
  private readonly client: pg.Client;
  private readonly stage: string | undefined;
  private readonly names: string[];

  constructor(client: pg.Client, table: StreamTable, index: number) {
    this.client = client;
    this.table = table;
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

  async load(lines: { raw: Buffer; typed: Buffer }): Promise<void> {
    const columns = `(${this.names.join(', ')})`;
    await copyIn(
      this.client,
      `${this.table.writeTo} (_airbyte_ab_id, _airbyte_data, _airbyte_emitted_at)`,
      lines.raw,
      RAW_COPY_FORMAT,
    );
    if (!this.stage) return copyIn(this.client, `${this.table.typedWriteTo} ${columns}`, lines.typed);
    if (lines.typed.length === 0) return;
    await copyIn(this.client, `${this.stage} ${columns}`, lines.typed);
    const keys = this.table.columns.filter((c) => c.key).map((c) => quoteIdent(c.name));
    await this.client.query(
      `INSERT INTO ${this.table.typedWriteTo} ${columns} SELECT ${this.names.join(', ')} FROM ${this.stage}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${this.names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}`,
    );
    await this.client.query(`TRUNCATE ${this.stage}`);
  }
}
