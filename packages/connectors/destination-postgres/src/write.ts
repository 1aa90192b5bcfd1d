import { connect } from '@ferry/postgres-common';
import { type AirbyteMessage, type ConfiguredAirbyteCatalog, log } from '@ferry/protocol';
import { StreamBatch } from './batch.ts';
import { RecordIds } from './ids.ts';
import { StreamLoader } from './load.ts';
import { type EmittedAt, emittedAtOf } from './raw-rows.ts';
import type { DestinationPostgresConfig } from './spec.ts';
import { prepare, streamTable, swap } from './tables.ts';

/** Records per COPY: a few MiB of lines, so memory stays bounded and each statement's cost is spread thin. */
export const BATCH_ROWS = 20_000;

/**
 * Writes each record to its raw table and its typed table (deduplicated on the primary key with
 * append_dedup), a batch at a time with COPY. Everything between two STATE messages is one transaction,
 * committed before the STATE is echoed: a crash rolls back to the last acknowledged state, so appended
 * streams get neither loss nor duplicates. Overwritten streams fill staging tables that replace their
 * targets only when the input ends.
 */
export async function* writePostgres(
  config: DestinationPostgresConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<AirbyteMessage>,
): AsyncIterable<AirbyteMessage> {
  const client = await connect(config, 'ferry-destination-postgres');
  try {
    const tables = catalog.streams.map((s) => streamTable(config.schema, s));
    const binary = await prepare(client, tables);
    const streams = new Map<string, { batch: StreamBatch; loader: StreamLoader }>();
    for (const [i, t] of tables.entries()) {
      const loader = new StreamLoader(client, t, i, binary[i]!);
      await loader.prepare();
      streams.set(t.stream, { batch: new StreamBatch(t, binary[i]!), loader });
    }
    const unknown = new Set<string>();
    const ids = new RecordIds();
    // A source stamps a whole batch of records with one emitted_at: its forms are worked out once per run of them.
    let emittedAt = Number.NaN;
    let emitted: EmittedAt | undefined;
    let open = false;
    // One batch on the wire at a time, while the next one is built from the input: the server loads and
    // this process parses at once. A failed load surfaces at the next wait, before any later COMMIT. A load
    // ends before the next starts, which is what lets a stream's CopyLines fill a taken buffer again.
    let loading: Promise<void> = Promise.resolve();
    const load = async (s: { batch: StreamBatch; loader: StreamLoader }) => {
      const lines = s.batch.take();
      await loading;
      if (!open) await client.query('BEGIN');
      open = true;
      loading = s.loader.load(lines);
      loading.catch(() => {});
    };
    const commit = async () => {
      for (const s of streams.values()) if (s.batch.size > 0) await load(s);
      await loading;
      if (open) await client.query('COMMIT');
      open = false;
    };
    for await (const m of input) {
      if (m.type === 'RECORD') {
        const s = streams.get(m.record.stream);
        if (!s) {
          if (!unknown.has(m.record.stream))
            yield log('WARN', `skipping records of stream ${m.record.stream}: not in the configured catalog`);
          unknown.add(m.record.stream);
          continue;
        }
        if (m.record.emitted_at !== emittedAt) {
          emittedAt = m.record.emitted_at;
          emitted = emittedAtOf(emittedAt);
          // A time the raw table's binary input takes but its ISO text does not (a year beyond 9999) fails
          // the write as the text did, with the server's own error.
          if (!emitted.readable) await client.query('SELECT $1::timestamptz', [emitted.text]);
        }
        s.batch.add(ids.take(), m.record.data, emitted!);
        if (s.batch.size >= BATCH_ROWS) await load(s);
      } else if (m.type === 'STATE') {
        await commit();
        yield m;
      }
    }
    await commit();
    await swap(client, tables);
    for (const { batch, loader } of streams.values())
      if (batch.keyless > 0)
        yield log(
          'WARN',
          `${batch.keyless} records of stream ${loader.table.stream} had no primary key value: kept in ${loader.table.target} only`,
        );
  } finally {
    // Ending the session rolls back an open transaction: nothing after the last echoed state is kept.
    await client.end().catch(() => {});
  }
}
