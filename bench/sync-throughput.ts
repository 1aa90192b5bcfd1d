// Sync pipeline throughput: faker `read` piped into local-json `write` through the runner's pipeline, with
// the process runtime, as a sync runs in embedded mode. In the same run it measures the baselines the sync
// is compared with: the source alone (raw output drained), the JSON-lines floor (a bare split + JSON.parse of
// that same output), and the fixed cost of a sync of an empty stream. Writes "## Sync pipeline" in
// docs/benchmarks.md.
//   node bench/sync-throughput.ts [records] [empty syncs]      (default 200000 and 15)
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectorRuntime, createProcessRuntime } from '@ferry/connector-runtime';
import { bundleConnector } from '../packages/connector-runtime/src/connector-bundle.ts';
import type { SyncAttemptRequest } from '@ferry/contracts';
import { manifest as localJson } from '@ferry/destination-local-json';
import { openAttemptLog, runSyncPipeline } from '@ferry/runner';
import { manifest as faker } from '@ferry/source-faker';
import { thousands, writeSection } from './report.ts';
import { cpuSeconds, jsonLinesFloor, rawSourceOutput } from './sync-floor.ts';
import { recordTargets } from './targets.ts';

const COUNT = Number(process.argv[2] ?? 200_000);
const EMPTY_SYNCS = Number(process.argv[3] ?? 15);
const SOURCE = `${faker.dockerRepository}:${faker.dockerImageTag}`;
const DESTINATION = `${localJson.dockerRepository}:${localJson.dockerImageTag}`;
const catalog = {
  streams: [
    {
      stream: { name: 'users', json_schema: {} },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    },
  ],
};

const request = (root: string, count = COUNT): SyncAttemptRequest => ({
  jobId: 1,
  attempt: 0,
  kind: 'sync',
  connectionId: '00000000-0000-4000-8000-000000000001',
  source: { image: SOURCE, config: { count } },
  destination: { image: DESTINATION, config: { destination_path: '/local/bench' } },
  catalog,
  state: null,
  logPath: path.join(root, 'attempt.log'),
  heartbeatIntervalMs: 1000,
});

/**
 * The source on its own, its stdout drained as bytes: the ceiling the pipeline can reach. It runs from its
 * one-file bundle, as the process runtime starts it once built (connector-bundle.ts): from its TypeScript
 * sources, each run also loaded Node's type stripper and stripped its modules (1.5 CPU s against about
 * 0.6 for 200,000 records), which no sync pays.
 */
const sourceAlone = (bundle: string) => rawSourceOutput(bundle, { count: COUNT }, catalog);

async function pipeline(runtime: ConnectorRuntime, root: string, count = COUNT) {
  const req = request(root, count);
  const log = openAttemptLog(req.logPath, []);
  const started = performance.now();
  const cpu = cpuSeconds();
  const result = await runSyncPipeline(runtime, req, {
    signal: new AbortController().signal,
    onProgress: () => {},
    log,
  });
  // Both connectors have exited and been reaped when the pipeline resolves: their CPU is counted.
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds() - cpu;
  await log.close();
  if (!result.succeeded) throw new Error(`the sync failed: ${result.failureReason}`);
  return { ...result, seconds, cpu: used };
}

const RUNS = 3;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => sorted(xs)[Math.ceil((p / 100) * xs.length) - 1]!;

/** A Markdown table padded the way the formatter (biome) prints it, so the file stays lint-clean. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, 3, ...rows.map((r) => r[c]!.length)));
  const cells = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)));
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  const rule = widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [line(cells(header)), line(rule), ...rows.map((r) => line(cells(r)))];
}

interface Run {
  seconds: number;
  /** CPU seconds of every process involved (runner and connectors). */
  cpu: number;
}

const row = (name: string, bytes: number, run: Run, floor: Run) => [
  name,
  thousands(COUNT),
  run.seconds.toFixed(2),
  thousands(COUNT / run.seconds),
  (bytes / 1e6 / run.seconds).toFixed(1),
  `${(floor.seconds / run.seconds).toFixed(2)}×`,
  run.cpu.toFixed(2),
  `${(floor.cpu / run.cpu).toFixed(2)}×`,
];

/** The run of median time. */
const medianRun = <T extends Run>(runs: T[]): T =>
  runs.find((r) => r.seconds === median(runs.map((x) => x.seconds)))!;

/**
 * A pause after each empty sync, as between scheduled syncs: time for the connectors' processes started
 * ahead (ADR 0027) to load before the next sync. Both kinds of runtime get it.
 */
const PAUSE_MS = 1000;

/**
 * Empty syncs (count 0), alternately with connectors started ahead (Ferry's runtime) and spawned at the
 * sync (a runtime without them, as before ADR 0027): what a sync costs before it moves any record. The CPU
 * of a process started ahead counts in the sync that used it (it is reaped there), its start included.
 */
async function fixedCost(runtimes: { ahead: ConnectorRuntime; spawned: ConnectorRuntime }, root: string) {
  const figures = {
    ahead: { ms: [] as number[], cpuMs: [] as number[] },
    spawned: { ms: [] as number[], cpuMs: [] as number[] },
  };
  for (let i = 0; i < EMPTY_SYNCS; i++) {
    for (const kind of i % 2 ? (['spawned', 'ahead'] as const) : (['ahead', 'spawned'] as const)) {
      const run = await pipeline(runtimes[kind], root, 0);
      figures[kind].ms.push(run.seconds * 1000);
      figures[kind].cpuMs.push(run.cpu * 1000);
      await sleep(PAUSE_MS);
    }
  }
  const summary = ({ ms, cpuMs }: { ms: number[]; cpuMs: number[] }) => ({
    p50: median(ms),
    p99: percentile(ms, 99),
    cpuP50: median(cpuMs),
  });
  return { ahead: summary(figures.ahead), spawned: summary(figures.spawned) };
}

async function measure(root: string) {
  const entryPoints = { [SOURCE]: faker.entryPoint, [DESTINATION]: localJson.entryPoint };
  const runtime = createProcessRuntime({ entryPoints, localRoot: root, warm: true });
  const spawned = createProcessRuntime({ entryPoints, localRoot: root });
  const alone: Run[] = [];
  const floors: Run[] = [];
  const syncs: Awaited<ReturnType<typeof pipeline>>[] = [];
  const fakerBundle = await bundleConnector(faker.entryPoint, path.join(root, 'bundles'), 'faker');
  for (let i = 0; i < RUNS; i++) {
    const source = await sourceAlone(fakerBundle);
    alone.push(source);
    const floor = jsonLinesFloor(source.output);
    if (floor.lines < COUNT) throw new Error(`the source printed ${floor.lines} lines for ${COUNT} records`);
    floors.push(floor);
    syncs.push(await pipeline(runtime, root));
  }
  const sync = medianRun(syncs);
  if (sync.recordsSynced !== COUNT)
    throw new Error(`the sync moved ${sync.recordsSynced} of ${COUNT} records`);
  const empty = await fixedCost({ ahead: runtime, spawned }, root);
  await runtime.close?.();
  return { sync, alone: medianRun(alone), floor: medianRun(floors), empty };
}

const root = await mkdtemp(path.join(tmpdir(), 'ferry-bench-sync-'));
try {
  const load = loadavg()[0]!.toFixed(1);
  const { sync, alone, floor, empty } = await measure(root);
  const cpu = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
  const section = [
    '## Sync pipeline',
    '',
    `\`node bench/sync-throughput.ts ${COUNT} ${EMPTY_SYNCS}\`: faker \`users\` (${thousands(COUNT)} records) into local-json`,
    `through the runner's pipeline, process runtime; median of ${RUNS} runs. Node ${process.version}, ${cpu},`,
    `load average ${load} at the start, ${new Date().toISOString().slice(0, 10)}. MB/s counts Airbyte's \`bytesSynced\``,
    '(UTF-8 bytes of each serialized `record.data`) in every row. The source alone runs from its one-file bundle,',
    "as the runtime starts connectors. The floor is a bare split of the source's",
    'own output (taken in the same run) into lines and a `JSON.parse` of each; "vs floor" is floor time / time.',
    'CPU s counts every process of the run (runner and connectors); it moves less with the load than the',
    'seconds do, and "CPU vs floor" (floor CPU / CPU) bounds what two idle cores could reach: at most twice it.',
    '',
    ...table(
      ['run', 'records', 'seconds', 'records/s', 'MB/s', 'vs floor', 'CPU s', 'CPU vs floor'],
      [
        row('JSON-lines floor: split + JSON.parse', sync.bytesSynced, floor, floor),
        row('source alone, raw stdout drained', sync.bytesSynced, alone, floor),
        row('sync: source → runner → destination', sync.bytesSynced, sync, floor),
      ],
    ),
    '',
    `Fixed cost of a sync of an empty stream (faker \`count: 0\` → local-json, both connectors as processes),`,
    `${EMPTY_SYNCS} syncs each way, alternated, ${PAUSE_MS / 1000} s apart. Connectors started ahead (ADR 0027, Ferry's runtime):`,
    `p50 ${empty.ahead.p50.toFixed(0)} ms, p99 ${empty.ahead.p99.toFixed(0)} ms; CPU of all three processes p50 ${empty.ahead.cpuP50.toFixed(0)} ms.`,
    `Spawned at the sync (as before): p50 ${empty.spawned.p50.toFixed(0)} ms, p99 ${empty.spawned.p99.toFixed(0)} ms; CPU p50 ${empty.spawned.cpuP50.toFixed(0)} ms.`,
    '',
  ].join('\n');
  await writeSection('Sync pipeline', section);
  const vsFloor = floor.seconds / sync.seconds;
  await recordTargets('sync-throughput', [
    {
      target: 'P2',
      figure: 'sync Faker → Local JSON, ratio to the JSON-lines floor (split + JSON.parse)',
      measured: `${(sync.bytesSynced / 1e6 / sync.seconds).toFixed(1)} MB/s`,
      ratio: vsFloor,
      goal: '≥ 0.5× the floor',
      met: vsFloor >= 0.5,
    },
    {
      target: 'P2',
      figure: 'fixed cost of a sync of an empty stream, process connectors (p50)',
      measured: `${empty.ahead.p50.toFixed(0)} ms`,
      goal: '≤ 150 ms',
      met: empty.ahead.p50 <= 150,
    },
  ]);
  process.stdout.write(`${section}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
