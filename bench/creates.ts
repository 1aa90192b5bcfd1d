// Durable writes end to end (issue 10, P3): sources/create per second on the embedded system with 1 client
// and with 20 at once, against a raw SQLite insert with one fsync each (WAL, synchronous = FULL), measured in
// the same run. Median of 3 runs of each. Writes "## Durable writes (sources/create)" in docs/benchmarks.md.
//   node bench/creates.ts [creates per run]      (default 400)
// Profile it with `node --cpu-prof --cpu-prof-dir=<dir> bench/creates.ts`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../packages/sqlite/src/index.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets } from './targets.ts';
import { embedded } from './systems.ts';

const COUNT = Number(process.argv[2] ?? 400);
const ROUNDS = 3;
const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';

const post = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

/**
 * Calls per second of `count` calls with `concurrency` in flight; how busy the event loop was (its
 * utilization); and the CPU milliseconds per call of the thread that serves them (client included). The
 * CPU time is what a call costs; the utilization says whether that, not the disk, bounds the rate.
 */
const measure = async (count: number, concurrency: number, call: (i: number) => Promise<unknown>) => {
  let next = 0;
  const started = performance.now();
  const loop = performance.eventLoopUtilization();
  const cpu = process.threadCpuUsage();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await call(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.threadCpuUsage(cpu);
  return {
    perSecond: count / seconds,
    utilization: performance.eventLoopUtilization(loop).utilization,
    cpuMs: (used.user + used.system) / 1000 / count,
  };
};
const perSecond = async (...args: Parameters<typeof measure>) => (await measure(...args)).perSecond;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-raw-'));
  const db = openDatabase(join(dir, 'raw.sqlite'), 'FULL');
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT, data TEXT)');
  const insert = db.prepare('INSERT INTO events (id, data) VALUES (?, ?)');
  const system = await embedded();
  const load = loadavg()[0]!.toFixed(1);
  try {
    const list = await post(system.api, '/v1/source_definitions/list', {});
    const faker = (list.sourceDefinitions as Array<Record<string, string>>).find((d) => d.name === 'Faker')!;
    const create = (i: number) =>
      post(system.api, '/v1/sources/create', {
        workspaceId: WORKSPACE,
        sourceDefinitionId: faker.sourceDefinitionId,
        name: `bench ${i}`,
        connectionConfiguration: { count: 1 },
      });
    await create(-1); // the connector's spec, fetched once and cached
    const figures = { raw: [] as number[], one: [] as number[], twenty: [] as number[] };
    const loop = { utilization: [] as number[], cpuMs: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      figures.raw.push(await perSecond(COUNT, 1, async () => insert.run(randomUUID(), '{}')));
      figures.one.push(await perSecond(COUNT / 4, 1, create));
      const twenty = await measure(COUNT, 20, create);
      figures.twenty.push(twenty.perSecond);
      loop.utilization.push(twenty.utilization);
      loop.cpuMs.push(twenty.cpuMs);
    }
    const raw = median(figures.raw);
    const row = (name: string, values: number[]) => {
      const value = median(values);
      return [name, thousands(value), `${(value / raw).toFixed(2)}×`];
    };
    const cpuMs = median(loop.cpuMs);
    const section = [
      '## Durable writes (sources/create)',
      '',
      `\`node bench/creates.ts ${COUNT}\`: ${system.describe}, over HTTP on loopback, client in the same process;`,
      `median of ${ROUNDS} runs (${COUNT} creates with 20 clients, ${COUNT / 4} with 1). Baseline: a raw SQLite insert`,
      `with one commit (one fsync) each, in the same run. Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()},`,
      `load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      table(
        ['call', 'per second', '÷ raw insert'],
        [
          row('raw SQLite insert, one fsync each', figures.raw),
          row('sources/create, 1 client', figures.one),
          row('sources/create, 20 clients', figures.twenty),
        ],
        [false, true, true],
      ),
      '',
      `With 20 clients the event loop (server and client: one thread) was busy ${(100 * median(loop.utilization)).toFixed(0)} % of the time and`,
      `used ${cpuMs.toFixed(2)} ms of CPU per create: one thread does at most ${thousands(1000 / cpuMs)} creates/s so, whatever the disk does.`,
      '',
    ].join('\n');
    await writeSection('Durable writes (sources/create)', section);
    const twenty = median(figures.twenty);
    await recordTargets('creates', [
      {
        target: 'P3',
        figure: 'sources/create with 20 clients, embedded, ratio to a raw one-fsync SQLite insert',
        measured: `${thousands(twenty)}/s`,
        ratio: twenty / raw,
        goal: '≥ 2,000/s',
        met: twenty >= 2000,
      },
    ]);
    process.stdout.write(`${section}\n`);
  } finally {
    await system.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
