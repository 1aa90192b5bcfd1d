import { randomUUID } from 'node:crypto';
import { connect, fitIdentifier, type MySqlConnection, quoteIdent } from '@ferry/mysql-common';
import { type AirbyteMessage, type ConfiguredAirbyteCatalog, log, typedValue } from '@ferry/protocol';
import type { DestinationMySqlConfig } from './spec.ts';
import { prepare, type StreamTables, streamTables, swap } from './tables.ts';

/** Rows per INSERT, and the text size past which a batch goes out early (max_allowed_packet is 16 MiB). */
export const BATCH_ROWS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;

interface Pending {
  tables: StreamTables;
  raw: unknown[][];
  typed: unknown[][];
  bytes: number;
  /** Records without a primary key value: in the raw table only. */
  keyless: number;
}

const typedInsert = (t: StreamTables) => {
  const columns = t.columns.map((c) => quoteIdent(fitIdentifier(c.name)));
  const all = ['_airbyte_ab_id', ...columns, '_airbyte_emitted_at'];
  const insert = `INSERT INTO ${t.typedWriteTo} (${all.join(', ')}) VALUES ?`;
  if (t.mode !== 'append_dedup') return insert;
  // Rows arrive in cursor order, so the last one of a key is its newest: it wins.
  return `${insert} ON DUPLICATE KEY UPDATE ${all.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
};

async function flush(db: MySqlConnection, p: Pending): Promise<void> {
  if (p.raw.length === 0) return;
  await db.query(
    `INSERT INTO ${p.tables.rawWriteTo} (_airbyte_ab_id, _airbyte_data, _airbyte_emitted_at) VALUES ?`,
    [p.raw],
  );
  if (p.typed.length > 0) await db.query(typedInsert(p.tables), [p.typed]);
  p.raw = [];
  p.typed = [];
  p.bytes = 0;
}

/** A DATETIME(3) literal in UTC (DATETIME, not TIMESTAMP: it takes any emitted_at, 1970 included). */
const timestampOf = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function add(p: Pending, data: Record<string, unknown>, emittedAt: number): void {
  const id = randomUUID();
  const json = JSON.stringify(data);
  const at = timestampOf(emittedAt);
  p.raw.push([id, json, at]);
  p.bytes += json.length;
  const values = p.tables.columns.map((c) => typedValue(c.kind, data[c.name]));
  if (p.tables.columns.some((c, i) => c.key && values[i] === null)) p.keyless++;
  else p.typed.push([id, ...values, at]);
}

/**
 * Writes every record to its raw table and its typed table. Everything between two STATE messages is one
 * transaction, committed before the STATE is echoed: a crash rolls back to the last acknowledged state, so
 * appended streams get neither loss nor duplicates. Overwritten streams fill staging tables that replace
 * their targets only when the input ends.
 */
export async function* writeMySql(
  config: DestinationMySqlConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<AirbyteMessage>,
): AsyncIterable<AirbyteMessage> {
  const db = await connect(config);
  try {
    const tables = catalog.streams.map((s) => streamTables(s, config.database));
    await prepare(db, tables);
    const pending = new Map<string, Pending>(
      tables.map((t) => [t.stream, { tables: t, raw: [], typed: [], bytes: 0, keyless: 0 }]),
    );
    const unknown = new Set<string>();
    let open = false;
    const begin = async () => {
      if (!open) await db.query('START TRANSACTION');
      open = true;
    };
    const commit = async () => {
      for (const p of pending.values()) if (p.raw.length > 0) await begin().then(() => flush(db, p));
      if (open) await db.query('COMMIT');
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
        add(p, m.record.data, m.record.emitted_at);
        if (p.raw.length >= BATCH_ROWS || p.bytes >= BATCH_BYTES) {
          await begin();
          await flush(db, p);
        }
      } else if (m.type === 'STATE') {
        await commit();
        yield m;
      }
    }
    await commit();
    await swap(db, tables);
    for (const p of pending.values())
      if (p.keyless > 0)
        yield log(
          'WARN',
          `${p.keyless} records of stream ${p.tables.stream} had no primary key value: kept in ${p.tables.raw} only`,
        );
  } finally {
    // Ending the session rolls back an open transaction: nothing after the last echoed state is kept.
    db.destroy();
  }
}
