// Durable appends on the embedded event store (issue 10, P3): appends per second with 1 and 20 concurrent
// appenders, against a raw SQLite insert on the same kind of file (WAL, synchronous = FULL: one fsync per
// commit). The adapter groups the appends of one event-loop turn into one commit, written on the log
// writer's thread; "one commit per append" is the adapter's own append without that, as it was before. One event per append, streams of their own;
// median of 3 interleaved runs. Writes "## SQLite event store" in docs/benchmarks.md.
//   node bench/event-store-sqlite.ts [seconds per run]      (default 1)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inTransaction, openDatabase } from '../packages/sqlite/src/index.ts';
import { appendInTransaction } from '../packages/event-store-sqlite/src/append.ts';
import { createSqliteEventStore } from '../packages/event-store-sqlite/src/index.ts';
import { openEventLog } from '../packages/event-store-sqlite/src/schema.ts';
import { prepareStatements } from '../packages/event-store-sqlite/src/statements.ts';
import { table, thousands, writeSection } from './report.ts';

const SECONDS = Number(process.argv[2] ?? 1);
const ROUNDS = 3;
const CONCURRENCY = [1, 20];
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-events-'));
const metadata = { actor: 'bench', correlationId: 'bench', causationId: null, schemaVersion: 1 };
const event = () => ({
  id: randomUUID(),
  type: 'Benched',
  data: {},
  metadata: { ...metadata, occurredAt: '' },
});
const expected = (revision: number) => (revision === 0 ? ('no_stream' as const) : revision - 1);

interface Technique {
  name: string;
  append(stream: string, revision: number): Promise<unknown>;
  close(): unknown;
}

function rawInsert(): Technique {
  const db = openDatabase(join(dir, 'raw.sqlite'), 'FULL');
  db.exec(
    'CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT, stream TEXT, revision INTEGER, data TEXT)',
  );
  const insert = db.prepare('INSERT INTO events (id, stream, revision, data) VALUES (?, ?, ?, ?)');
  return {
    name: 'raw SQLite insert, one commit each (baseline)',
    append: async (stream, revision) => insert.run(randomUUID(), stream, revision, '{}'),
    close: () => db.close(),
  };
}

function commitPerAppend(): Technique {
  const db = openEventLog(join(dir, 'per-append.sqlite'));
  const statements = prepareStatements(db);
  return {
    name: 'adapter, one commit per append (before)',
    append: async (stream, revision) =>
      inTransaction(db, () => appendInTransaction(statements, stream, [event()], expected(revision))),
    close: () => db.close(),
  };
}

function groupCommit(): Technique {
  const store = createSqliteEventStore({ file: join(dir, 'grouped.sqlite') });
  return {
    name: 'adapter append, group commit (writer thread)',
    append: (stream, revision) => store.append(stream, [event()], expected(revision)),
    close: () => store.close(),
  };
}

async function run(technique: Technique, appenders: number) {
  const prefix = randomUUID();
  let appended = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  const appender = async (n: number) => {
    for (let revision = 0; performance.now() < until; revision += 1) {
      await technique.append(`${prefix}-${n}`, revision);
      appended += 1;
    }
  };
  await Promise.all(Array.from({ length: appenders }, (_, n) => appender(n)));
  return appended / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const all = [rawInsert(), commitPerAppend(), groupCommit()];
  const results = new Map<string, number[]>();
  const load = loadavg()[0]!.toFixed(1);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const technique of all) {
      for (const n of CONCURRENCY) {
        const key = `${technique.name}/${n}`;
        results.set(key, [...(results.get(key) ?? []), await run(technique, n)]);
      }
    }
  }
  for (const technique of all) await technique.close();
  const baseline = median(results.get(`${all[0]!.name}/1`)!);
  const rows = all.map((technique) => {
    const [one, many] = CONCURRENCY.map((n) => median(results.get(`${technique.name}/${n}`)!));
    return [technique.name, thousands(one!), thousands(many!), `${(many! / baseline).toFixed(2)}×`];
  });
  const section = [
    '## SQLite event store',
    '',
    `\`node bench/event-store-sqlite.ts ${SECONDS}\`: one-event appends on streams of their own, for ${SECONDS} s per run,`,
    `median of ${ROUNDS} interleaved runs; files in ${tmpdir()} (WAL, synchronous = FULL). Node ${process.version},`,
    `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
    'The ratio is the 20-appender figure over the raw insert with 1 writer (one fsync per row).',
    '',
    table(['append', '1 appender, appends/s', '20 appenders, appends/s', '20 appenders ÷ raw insert'], rows, [
      false,
      true,
      true,
      true,
    ]),
    '',
  ].join('\n');
  await writeSection('SQLite event store', section);
  process.stdout.write(`${section}\n`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
