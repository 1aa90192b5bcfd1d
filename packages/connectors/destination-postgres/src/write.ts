import { randomUUID } from 'node:crypto';
import { connect } from '@ferry/postgres-common';
import { type AirbyteMessage, type ConfiguredAirbyteCatalog, log } from '@ferry/protocol';
import type pg from 'pg';
import type { DestinationPostgresConfig } from './spec.ts';
import { prepare, type StreamTable, streamTable, swap } from './tables.ts';
import { insertTyped, type TypedRows, typedRow } from './typed.ts';

/** Rows per INSERT; one statement whatever the count, as the rows travel as three arrays. */
export const BATCH_ROWS = 5000;

interface Pending {
  table: StreamTable;
  ids: string[];
  data: string[];
  emittedAt: string[];
  typed: TypedRows;
}

async function insert(client: pg.Client, p: Pending): Promise<void> {
  if (p.ids.length === 0) return;
  await client.query(
    `INSERT INTO ${p.table.writeTo} (_airbyte_ab_id, _airbyte_data, _airbyte_emitted_at)
     SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::timestamptz[])`,
    [p.ids, p.data, p.emittedAt],
  );
  await insertTyped(client, p.table, p.typed);
  p.ids = [];
  p.data = [];
  p.emittedAt = [];
}

/**
 * Writes each record to its raw table and its typed table (deduplicated on the primary key with
 * append_dedup). Everything between two STATE messages is one transaction, committed before the STATE
 * is echoed: a crash rolls back to the last acknowledged state, so appended streams get neither loss nor
 * duplicates. Overwritten streams fill staging tables that replace their targets only when the input ends.
 */
export async function* writePostgres(
  config: DestinationPostgresConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<AirbyteMessage>,
): AsyncIterable<AirbyteMessage> {
  const client = await connect(config, 'ferry-destination-postgres');
  try {
    const tables = catalog.streams.map((s) => streamTable(config.schema, s));
    await prepare(client, tables);
    const pending = new Map<string, Pending>(
      tables.map((t) => [
        t.stream,
        { table: t, ids: [], data: [], emittedAt: [], typed: { rows: [], keyless: 0 } },
      ]),
    );
    const unknown = new Set<string>();
    let open = false;
    const begin = async () => {
      if (!open) await client.query('BEGIN');
      open = true;
    };
    const commit = async () => {
      for (const p of pending.values()) if (p.ids.length > 0) await begin().then(() => insert(client, p));
      if (open) await client.query('COMMIT');
      open = false;
    };
    for await (const m of input) {
      if (m.type === 'RECORD') {
        const p = pending.get(m.record.stream);
        if (!p) {
          if (!unknown.has(m.record.stream))
            yield log('WARN', `skipping records of stream ${m.record.stream}: not in the configured catalog`);
          unknown.add(m.record.stream);
          continue;
        }
        const id = randomUUID();
        const emittedAt = new Date(m.record.emitted_at).toISOString();
        p.ids.push(id);
        p.data.push(JSON.stringify(m.record.data));
        p.emittedAt.push(emittedAt);
        typedRow(p.table, p.typed, id, m.record.data, emittedAt);
        if (p.ids.length >= BATCH_ROWS) {
          await begin();
          await insert(client, p);
        }
      } else if (m.type === 'STATE') {
        await commit();
        yield m;
      }
    }
    await commit();
    await swap(client, tables);
    for (const p of pending.values())
      if (p.typed.keyless > 0)
        yield log(
          'WARN',
          `${p.typed.keyless} records of stream ${p.table.stream} had no primary key value: kept in ${p.table.target} only`,
        );
  } finally {
    // Ending the session rolls back an open transaction: nothing after the last echoed state is kept.
    await client.end().catch(() => {});
  }
}
