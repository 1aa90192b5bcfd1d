// Sync pipeline throughput: faker `read` piped into local-json `write` through the runner's pipeline, with
// the process runtime, as a sync runs in embedded mode. Also times the source alone, so the figures show
// what the pipe costs on top of it. Writes the figures under "## Sync pipeline" in docs/benchmarks.md.
//   node bench/sync-throughput.ts [records]      (default 200000)
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { type ConnectorRuntime, createProcessRuntime } from '@ferry/connector-runtime';
import type { SyncAttemptRequest } from '@ferry/contracts';
import { manifest as localJson } from '@ferry/destination-local-json';
import { openAttemptLog, runSyncPipeline } from '@ferry/runner';
import { manifest as faker } from '@ferry/source-faker';
import { thousands, writeSection } from './report.ts';

const COUNT = Number(process.argv[2] ?? 200_000);
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

const request = (root: string): SyncAttemptRequest => ({
  jobId: 1,
  attempt: 0,
  kind: 'sync',
  connectionId: '00000000-0000-4000-8000-000000000001',
  source: { image: SOURCE, config: { count: COUNT } },
  destination: { image: DESTINATION, config: { destination_path: '/local/bench' } },
  catalog,
  state: null,
  logPath: path.join(root, 'attempt.log'),
  heartbeatIntervalMs: 1000,
});

/** The source on its own, its output read and dropped: the ceiling the pipeline can reach. */
async function sourceAlone(runtime: ConnectorRuntime): Promise<number> {
  const started = performance.now();
  const run = await runtime.run({ image: SOURCE, command: 'read', config: { count: COUNT }, catalog });
  for await (const _ of run.messages);
  await run.exit;
  return (performance.now() - started) / 1000;
}

async function pipeline(runtime: ConnectorRuntime, root: string) {
  const req = request(root);
  const log = openAttemptLog(req.logPath, []);
  const started = performance.now();
  const result = await runSyncPipeline(runtime, req, {
    signal: new AbortController().signal,
    onProgress: () => {},
    log,
  });
  const seconds = (performance.now() - started) / 1000;
  await log.close();
  if (!result.succeeded) throw new Error(`the sync failed: ${result.failureReason}`);
  return { ...result, seconds };
}

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A Markdown table padded the way the formatter (biome) prints it, so the file stays lint-clean. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, 3, ...rows.map((r) => r[c]!.length)));
  const cells = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)));
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  const rule = widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [line(cells(header)), line(rule), ...rows.map((r) => line(cells(r)))];
}

const row = (name: string, records: number, bytes: number, seconds: number) => [
  name,
  thousands(records),
  seconds.toFixed(2),
  thousands(records / seconds),
  (bytes / 1e6 / seconds).toFixed(1),
];

async function measure(root: string) {
  const runtime = createProcessRuntime({
    entryPoints: { [SOURCE]: faker.entryPoint, [DESTINATION]: localJson.entryPoint },
    localRoot: root,
  });
  const alone: number[] = [];
  const syncs: Awaited<ReturnType<typeof pipeline>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    alone.push(await sourceAlone(runtime));
    syncs.push(await pipeline(runtime, root));
  }
  const sync = syncs.find((s) => s.seconds === median(syncs.map((x) => x.seconds)))!;
  return { sync, alone: median(alone) };
}

const root = await mkdtemp(path.join(tmpdir(), 'ferry-bench-sync-'));
try {
  const { sync, alone } = await measure(root);
  const cpu = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
  const section = [
    '## Sync pipeline',
    '',
    `\`node bench/sync-throughput.ts ${COUNT}\`: faker \`users\` (${thousands(COUNT)} records) into local-json through`,
    `the runner's pipeline, process runtime; median of ${RUNS} runs. Node ${process.version}, ${cpu},`,
    `${new Date().toISOString().slice(0, 10)}. Bytes are Airbyte's \`bytesSynced\` (UTF-8 bytes of each serialized \`record.data\`).`,
    '',
    ...table(
      ['run', 'records', 'seconds', 'records/s', 'MB/s'],
      [
        row('sync: source → runner → destination', sync.recordsSynced, sync.bytesSynced, sync.seconds),
        row('source alone, output read and dropped', COUNT, sync.bytesSynced, alone),
      ],
    ),
    '',
  ].join('\n');
  await writeSection('Sync pipeline', section);
  process.stdout.write(`${section}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
