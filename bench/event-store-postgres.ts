// What a global order that readers never skip past costs on PostgreSQL (ADR 0008): appends per second with
// 1 and 20 concurrent appenders, positions from the counter row the adapter uses against a plain sequence,
// which lets a concurrent reader checkpoint past a commit still in flight. One event per append; each
// figure is the median of 3 interleaved runs. Writes "## PostgreSQL event store" in docs/benchmarks.md.
//   node bench/event-store-postgres.ts [seconds per run]      (default 1)
// The server is FERRY_TEST_POSTGRES_URL, or postgres://postgres@127.0.0.1:5432/postgres.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import { openPostgresEventStore } from '@ferry/event-store-postgres';
import pg from 'pg';
import { table, thousands, writeSection } from './report.ts';

const SECONDS = Number(process.argv[2] ?? 1);
const ROUNDS = 3;
const CONCURRENCY = [1, 20];
const url = testPostgresUrl();
const schema = uniqueSchema('ferry_bench');

type EventStore = Awaited<ReturnType<typeof openPostgresEventStore>>;

interface Technique {
  name: string;
  /** Appends one event at `revision` (0-based) of `stream`. */
  append(stream: string, revision: number): Promise<unknown>;
  /** The positions after `from`, as a reader that checkpoints on the last one it saw gets them. */
  after(from: number): Promise<number[]>;
}

const ddl = `
  CREATE TABLE "${schema}".by_sequence (position bigserial PRIMARY KEY, id text NOT NULL UNIQUE,
    stream text NOT NULL, revision bigint NOT NULL, data json NOT NULL, UNIQUE (stream, revision));
  CREATE TABLE "${schema}".by_counter (position bigint PRIMARY KEY, id text NOT NULL UNIQUE,
    stream text NOT NULL, revision bigint NOT NULL, data json NOT NULL, UNIQUE (stream, revision));
  CREATE TABLE "${schema}".counter (position bigint NOT NULL);
  INSERT INTO "${schema}".counter VALUES (0);`;

// Each statement ends in `SELECT <last> FROM appended`: the position, or the adapter's notification.
const bySequence = (last: string) => `WITH appended AS (
  INSERT INTO "${schema}".by_sequence (id, stream, revision, data) VALUES ($1, $2, $3, '{}') RETURNING position
) SELECT ${last} FROM appended`;
const byCounter = (last: string) => `WITH taken AS (
  UPDATE "${schema}".counter SET position = position + 1 RETURNING position
), appended AS (
  INSERT INTO "${schema}".by_counter (position, id, stream, revision, data)
  SELECT position, $1, $2, $3, '{}' FROM taken RETURNING position
) SELECT ${last} FROM appended`;
const notify = `pg_notify('${schema}_bench', '')`;

function rawTechnique(pool: pg.Pool, name: string, sql: string, tableName: string): Technique {
  return {
    name,
    append: (stream, revision) => pool.query(sql, [randomUUID(), stream, revision]),
    after: async (from) => {
      const { rows } = await pool.query<{ position: string }>(
        `SELECT position FROM "${schema}".${tableName} WHERE position > $1 ORDER BY position LIMIT 100`,
        [from],
      );
      return rows.map((row) => Number(row.position));
    },
  };
}

function techniques(pool: pg.Pool, store: EventStore): Technique[] {
  const metadata = { actor: 'bench', correlationId: 'bench', causationId: null, schemaVersion: 1 };
  return [
    rawTechnique(pool, 'sequence (unsafe baseline)', bySequence('position'), 'by_sequence'),
    rawTechnique(pool, 'sequence + NOTIFY (unsafe)', bySequence(notify), 'by_sequence'),
    rawTechnique(pool, 'counter row', byCounter('position'), 'by_counter'),
    rawTechnique(pool, 'counter row + NOTIFY', byCounter(notify), 'by_counter'),
    {
      name: 'adapter append: checks, counter row, NOTIFY',
      append: (stream, revision) => {
        const event = {
          id: randomUUID(),
          type: 'Benched',
          data: {},
          metadata: { ...metadata, occurredAt: '' },
        };
        return store.append(stream, [event], revision === 0 ? 'no_stream' : revision - 1);
      },
      after: async (from) => (await store.readAll({ fromPosition: from, limit: 100 })).map((e) => e.position),
    },
  ];
}

/** The last position stored, read while nobody appends. */
async function end(technique: Technique): Promise<number> {
  let from = 0;
  for (let page = await technique.after(from); page.length > 0; page = await technique.after(from)) {
    from = page.at(-1)!;
  }
  return from;
}

/**
 * Reads one page after another from `from` on, until `stop` is set and nothing is left; returns the count.
 * It pauses between pages, so as not to take a CPU from the appenders.
 */
async function checkpointingReader(technique: Technique, from: number, stop: () => boolean): Promise<number> {
  let seen = 0;
  for (;;) {
    const page = await technique.after(from);
    seen += page.length;
    from = page.at(-1) ?? from;
    if (page.length === 0 && stop()) return seen;
    await new Promise((done) => setTimeout(done, 2));
  }
}

/** Appenders on streams of their own for SECONDS, beside a reader: appends/s and what the reader missed. */
async function run(technique: Technique, appenders: number) {
  let stopped = false;
  const reading = checkpointingReader(technique, await end(technique), () => stopped);
  const prefix = randomUUID();
  let appended = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const appender = async (n: number) => {
    for (let revision = 0; performance.now() < until; revision += 1) {
      await technique.append(`${prefix}-${n}`, revision);
      appended += 1;
    }
  };
  await Promise.all(Array.from({ length: appenders }, (_, n) => appender(n)));
  const perSecond = appended / ((performance.now() - started) / 1000);
  stopped = true;
  return { perSecond, appended, skipped: appended - (await reading) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(all: Technique[]) {
  const results = new Map<string, Array<{ perSecond: number; appended: number; skipped: number }>>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const technique of all) {
      for (const appenders of CONCURRENCY) {
        const key = `${technique.name}/${appenders}`;
        results.set(key, [...(results.get(key) ?? []), await run(technique, appenders)]);
      }
    }
  }
  return all.map((technique) => {
    const [one, many] = CONCURRENCY.map((n) => results.get(`${technique.name}/${n}`)!);
    const sum = (key: 'appended' | 'skipped') => many!.reduce((total, r) => total + r[key], 0);
    return [
      technique.name,
      thousands(median(one!.map((r) => r.perSecond))),
      thousands(median(many!.map((r) => r.perSecond))),
      `${thousands(sum('skipped'))} of ${thousands(sum('appended'))}`,
    ];
  });
}

async function main() {
  const store = await openPostgresEventStore({ connectionString: url, schema, poolSize: 21 });
  const pool = new pg.Pool({ connectionString: url, max: Math.max(...CONCURRENCY) + 1 });
  try {
    await pool.query(ddl);
    const { rows } = await pool.query<{ version: string; sync: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync`,
    );
    const figures = await measure(techniques(pool, store));
    const section = [
      '## PostgreSQL event store',
      '',
      `\`node bench/event-store-postgres.ts ${SECONDS}\`: one-event appends on streams of their own, for ${SECONDS} s per run,`,
      `median of ${ROUNDS} interleaved runs, beside a reader that pages through the log checkpointing on the last`,
      `position it saw. PostgreSQL ${rows[0]?.version} on loopback (synchronous_commit ${rows[0]?.sync}), Node ${process.version},`,
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}. Why the adapter uses the counter row: ADR 0008.`,
      '',
      table(
        [
          'positions from',
          '1 appender, appends/s',
          '20 appenders, appends/s',
          'reader skipped (20 appenders)',
        ],
        figures,
        [false, true, true, true],
      ),
      '',
    ].join('\n');
    await writeSection('PostgreSQL event store', section);
    process.stdout.write(`${section}\n`);
  } finally {
    await store.close();
    await pool.end();
    await dropSchema(schema, url);
  }
}

await main();
