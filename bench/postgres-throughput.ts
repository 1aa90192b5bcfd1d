// PostgreSQL connectors' throughput against this machine's server (127.0.0.1:5432, user postgres), each
// figure as a ratio to a raw COPY of the same table measured in the same run: `COPY people TO STDOUT` read
// and dropped (the most a reader of that table can do), and a `COPY ... FROM STDIN` of those rows into a
// fresh table (the most a writer can do). Then source-postgres `read` (output read and dropped),
// destination-postgres `write` of as many records in append and append_dedup (raw and typed tables), and a
// sync PostgreSQL → PostgreSQL through the runner's pipeline. Process runtime with connectors started ahead of
// their runs, as Ferry's runtime starts them (ADR 0027); everything happens in a database of its own, dropped
// after. Writes the figures under "## PostgreSQL connectors" in
// docs/benchmarks.md.
//   node bench/postgres-throughput.ts [rows]      (default 200000)
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProcessRuntime } from '@ferry/connector-runtime';
import { manifest as postgresDestination } from '@ferry/destination-postgres';
import { manifest as postgresSource } from '@ferry/source-postgres';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { destinationAlone, image, median, pipeline, sourceAlone, stream, timed } from './connector-runs.ts';
import { childrenCpuSeconds, parentPid } from './processes.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets } from './targets.ts';

const COUNT = Number(process.argv[2] ?? 200_000);
const RUNS = 3;
/** P2's target for the sync. */
const TARGET_ROWS_PER_SECOND = 150_000;
const SOURCE = image(postgresSource);
const DESTINATION = image(postgresDestination);
const server = { host: '127.0.0.1', port: 5432, username: 'postgres' };
const database = `ferry_bench_pg_${process.pid}`;
const connection = { ...server, database };
/**
 * A pause before each sync, as between scheduled syncs: time for the connectors' processes started ahead
 * (ADR 0027) after their last runs to load before the sync takes them.
 */
const PAUSE_MS = 1000;
const PEOPLE =
  'id int PRIMARY KEY, name text, score double precision, active boolean, updated_at timestamptz';

const client = async (db: string) => {
  const c = new pg.Client({ host: server.host, port: server.port, user: server.username, database: db });
  await c.connect();
  return c;
};

/** `COPY people TO STDOUT`, its chunks kept (for the copy in) or dropped. */
async function rawCopyOut(db: pg.Client, keep: Buffer[] | undefined) {
  let rows = 0;
  const out = db.query(copyTo('COPY people TO STDOUT'));
  for await (const chunk of out as AsyncIterable<Buffer>) {
    keep?.push(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  }
  if (rows !== COUNT) throw new Error(`COPY TO read ${rows} rows`);
}

/** `COPY ... FROM STDIN` of the rows read out into a fresh table of the same definition. */
async function rawCopyIn(db: pg.Client, rows: Buffer[], run: number) {
  const name = `people_copy_${run}`;
  await db.query(`CREATE TABLE ${name} (${PEOPLE})`);
  await streamPipeline(rows, db.query(copyFrom(`COPY ${name} FROM STDIN`)));
  await db.query(`DROP TABLE ${name}`);
}

/**
 * The CPU seconds a sync spent, by who spent it: this process (the runner's pipeline), the connectors'
 * processes (this process's children: started ahead, their loading counts too) and the server's backends
 * (the postmaster's children, the pid of whose parent a backend gives), each counted once it has ended.
 * The server's share is left out when its processes are not readable here (a server on another machine).
 */
const syncCpu = (postmaster: number | undefined) => {
  const read = () => ({
    runner: process.cpuUsage(),
    connectors: childrenCpuSeconds(),
    server: postmaster === undefined ? Number.NaN : childrenCpuSeconds(postmaster),
  });
  const before = read();
  return () => {
    const after = read();
    const runner = process.cpuUsage(before.runner);
    return {
      runner: (runner.user + runner.system) / 1e6,
      connectors: after.connectors - before.connectors,
      server: after.server - before.server,
    };
  };
};

const postmasterOf = async (db: pg.Client) => {
  const { rows } = await db.query('SELECT pg_backend_pid() AS pid');
  try {
    return parentPid(rows[0].pid);
  } catch {
    return undefined;
  }
};

const root = await mkdtemp(path.join(tmpdir(), 'ferry-bench-pg-'));
const admin = await client('postgres');
await admin.query(`CREATE DATABASE ${database}`);
const loads: number[] = [];
const load = () => loads.push(loadavg()[0]!);
const runtime = createProcessRuntime({
  entryPoints: { [SOURCE]: postgresSource.entryPoint, [DESTINATION]: postgresDestination.entryPoint },
  localRoot: root,
  warm: true,
});
try {
  const db = await client(database);
  try {
    await db.query(`CREATE TABLE people (${PEOPLE})`);
    await db.query(`INSERT INTO people SELECT n, 'person ' || n, n / 7.0, n % 2 = 1,
      timestamptz '2020-01-01 00:00:00+00' + n * interval '1 second' FROM generate_series(1, ${COUNT}) n`);
    await db.query('VACUUM ANALYZE people');
    const sourceConfig = { ...connection, schemas: ['public'] };
    const destinationConfig = (schema: string) => ({ ...connection, schema });
    const postmaster = await postmasterOf(db);
    const syncCpus: ReturnType<ReturnType<typeof syncCpu>>[] = [];
    const seconds: Record<string, number[]> = {
      copyOut: [],
      copyIn: [],
      read: [],
      append: [],
      append_dedup: [],
      pipeline: [],
    };
    for (let run = 0; run < RUNS; run++) {
      load();
      const rows: Buffer[] = [];
      seconds.copyOut!.push(await timed(() => rawCopyOut(db, undefined)));
      await rawCopyOut(db, rows);
      seconds.copyIn!.push(await timed(() => rawCopyIn(db, rows, run)));
      seconds.read!.push(
        await timed(() => sourceAlone(runtime, SOURCE, sourceConfig, 'public.people', COUNT)),
      );
      for (const mode of ['append', 'append_dedup']) {
        const schema = `dst_${mode}_${run}`;
        seconds[mode]!.push(
          await timed(() => destinationAlone(runtime, DESTINATION, destinationConfig(schema), mode, COUNT)),
        );
        await db.query(`DROP SCHEMA ${schema} CASCADE`);
      }
      const schema = `sync_${run}`;
      await sleep(PAUSE_MS);
      const spent = syncCpu(postmaster);
      seconds.pipeline!.push(
        await timed(() =>
          pipeline(
            runtime,
            root,
            { image: SOURCE, config: sourceConfig },
            { image: DESTINATION, config: destinationConfig(schema) },
            { streams: [stream('public.people', 'overwrite')] },
          ),
        ),
      );
      // The connectors' processes and the sync's backends are waited for by their parents after they exit.
      await sleep(300);
      syncCpus.push(spent());
      const { rows: synced } = await db.query(`SELECT count(*)::int AS n FROM ${schema}.public_people`);
      if (synced[0].n !== COUNT) throw new Error(`the sync wrote ${synced[0].n} typed rows`);
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      const took = Object.entries(seconds).map(([k, s]) => `${k} ${s[run]!.toFixed(2)} s`);
      process.stdout.write(`run ${run + 1}/${RUNS}: ${took.join(', ')}\n`);
    }
    load();
    const { rows: version } = await db.query('SHOW server_version');
    const rate = (key: string) => COUNT / median(seconds[key]!);
    const row = (name: string, key: string, baseline: string) => [
      name,
      median(seconds[key]!).toFixed(2),
      thousands(rate(key)),
      key === baseline
        ? '1'
        : `${(rate(key) / rate(baseline)).toFixed(2)}× ${baseline === 'copyOut' ? 'out' : 'in'}`,
    ];
    const cpu = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
    const spentBy = (who: 'runner' | 'connectors' | 'server') => median(syncCpus.map((c) => c[who]));
    const serverCpu = spentBy('server');
    const syncCpuTotal =
      spentBy('runner') + spentBy('connectors') + (Number.isNaN(serverCpu) ? 0 : serverCpu);
    const section = [
      '## PostgreSQL connectors',
      '',
      `\`node bench/postgres-throughput.ts ${COUNT}\`: a table of ${thousands(COUNT)} rows (int key, text, double precision,`,
      `boolean, timestamptz); process runtime with connectors started ahead (ADR 0027), median of ${RUNS} runs. PostgreSQL ${version[0].server_version} on loopback,`,
      `Node ${process.version}, ${cpu}, ${new Date().toISOString().slice(0, 16)}Z, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`,
      'Ratios: against the raw `COPY TO STDOUT` (out) for the read, against the raw `COPY FROM STDIN` (in) for the',
      'writes and the sync. The destination writes each record twice, to its raw table and to its typed table',
      '(upserted on the key with append_dedup); for the writes alone the bench process generates the records.',
      '',
      table(
        ['run', 'seconds', 'rows/s', 'ratio'],
        [
          row('raw `COPY people TO STDOUT`, read and dropped', 'copyOut', 'copyOut'),
          row('raw `COPY FROM STDIN` of those rows', 'copyIn', 'copyIn'),
          row('source-postgres read, output read and dropped', 'read', 'copyOut'),
          row('destination-postgres write, append', 'append', 'copyIn'),
          row('destination-postgres write, append_dedup', 'append_dedup', 'copyIn'),
          row('sync PostgreSQL → PostgreSQL (runner pipeline)', 'pipeline', 'copyIn'),
        ],
        [false, true, true, true],
      ),
      '',
      `The sync's CPU seconds (medians of the ${RUNS} syncs): the runner's pipeline (this process) ${spentBy('runner').toFixed(2)},`,
      `both connectors' processes (their loading, done ahead of the sync, included) ${spentBy('connectors').toFixed(2)},`,
      `PostgreSQL's backends ${Number.isNaN(serverCpu) ? '(not readable here)' : serverCpu.toFixed(2)}: ${syncCpuTotal.toFixed(2)} in all. At P2's ${thousands(TARGET_ROWS_PER_SECOND)} rows/s, ${thousands(COUNT)} rows`,
      `take ${(COUNT / TARGET_ROWS_PER_SECOND).toFixed(2)} s, at most ${((COUNT / TARGET_ROWS_PER_SECOND) * cpus().length).toFixed(2)} CPU s on ${cpus().length} cores.`,
      '',
    ].join('\n');
    await writeSection('PostgreSQL connectors', section);
    await recordTargets('postgres-throughput', [
      {
        target: 'P2',
        figure: 'sync PostgreSQL → PostgreSQL, ratio to a raw COPY FROM STDIN',
        measured: `${thousands(rate('pipeline'))} rows/s`,
        ratio: rate('pipeline') / rate('copyIn'),
        goal: `≥ ${thousands(TARGET_ROWS_PER_SECOND)} rows/s`,
        met: rate('pipeline') >= TARGET_ROWS_PER_SECOND,
      },
    ]);
    process.stdout.write(`${section}\n`);
  } finally {
    await db.end();
  }
} finally {
  await runtime.close?.();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await rm(root, { recursive: true, force: true });
}
