import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ConnectorRuntime, createProcessRuntime } from '@ferry/connector-runtime';
import type { SyncAttemptRequest } from '@ferry/contracts';
import { manifest as localCsv } from '@ferry/destination-local-csv';
import { manifest as localJson } from '@ferry/destination-local-json';
import { parseCsvText } from '@ferry/local-files';
import { type ConnectorManifest, cleanedName } from '@ferry/protocol';
import { manifest as faker } from '@ferry/source-faker';
import { manifest as postgres } from '@ferry/source-postgres';
import { openAttemptLog } from '../src/attempt-log.ts';
import type { Progress } from '../src/sync/forward.ts';
import { runSyncPipeline } from '../src/sync/pipeline.ts';

const image = (m: ConnectorManifest) => `${m.dockerRepository}:${m.dockerImageTag}`;
export const IMAGES = {
  faker: image(faker),
  postgres: image(postgres),
  json: image(localJson),
  csv: image(localCsv),
  fixture: 'ferry/test-pipeline-fixture:0.1.0',
  modern: 'ferry/test-modern-connector:0.1.0',
};
const FIXTURE_ENTRY = path.join(import.meta.dirname, 'fixtures', 'pipeline-fixture.ts');
const MODERN_ENTRY = path.join(import.meta.dirname, 'fixtures', 'modern-connector.ts');
const entryPoints = {
  ...Object.fromEntries([faker, postgres, localJson, localCsv].map((m) => [image(m), m.entryPoint])),
  [IMAGES.fixture]: FIXTURE_ENTRY,
  [IMAGES.modern]: MODERN_ENTRY,
};
/** Every entry point a test's connector processes run, to find them among this process's children. */
export const ENTRY_POINTS = Object.values(entryPoints);
/** Where the runtime puts the connectors' bundles, which they run from after their first run. */
const BUNDLE_DIR = path.join(tmpdir(), 'ferry-runner-test-bundles');

export const configured = (
  name: string,
  sync_mode: string,
  destination_sync_mode: string,
  cursor?: string,
) => ({
  stream: { name, json_schema: {} },
  sync_mode,
  destination_sync_mode,
  ...(cursor ? { cursor_field: [cursor] } : {}),
});

const connector = (img: string, config: Record<string, unknown>) => ({ image: img, config });

/** A directory behind the connectors' /local, a process runtime over it, and requests against it. */
export async function syncSandbox() {
  const root = await mkdtemp(path.join(tmpdir(), 'ferry-runner-sync-'));
  const runtime: ConnectorRuntime = createProcessRuntime({
    entryPoints,
    localRoot: root,
    killGraceMs: 500,
    bundleDir: BUNDLE_DIR,
  });
  let attempts = 0;
  const request = (
    source: { image: string; config: Record<string, unknown> } | null,
    destinationImage: string,
    streams: unknown[],
    state: Record<string, unknown> | null = null,
  ): SyncAttemptRequest => ({
    jobId: 1,
    attempt: attempts++,
    kind: source ? 'sync' : 'reset',
    connectionId: '00000000-0000-4000-8000-000000000001',
    source: source && connector(source.image, source.config),
    destination: connector(destinationImage, { destination_path: '/local/out' }),
    catalog: { streams },
    state,
    logPath: path.join(root, 'logs', `attempt-${attempts}.log`),
    heartbeatIntervalMs: 1000,
  });
  return {
    root,
    runtime,
    request,
    rawFile: (stream: string, ext: 'jsonl' | 'csv') =>
      path.join(root, 'out', `_airbyte_raw_${cleanedName(stream)}.${ext}`),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

export interface SyncOptions {
  /** Plain secret values to scrub from the attempt log (the runner service works them out by unsealing). */
  secrets?: string[];
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  timeoutMs?: number;
  logLimitBytes?: number;
}

/** Runs the pipeline with a real attempt log; returns the result, the log's text and every progress seen. */
export async function sync(
  runtime: ConnectorRuntime,
  request: SyncAttemptRequest,
  options: SyncOptions = {},
) {
  const log = openAttemptLog(request.logPath, options.secrets ?? []);
  const progress: Progress[] = [];
  const result = await runSyncPipeline(runtime, request, {
    signal: options.signal ?? new AbortController().signal,
    log,
    onProgress: (p) => {
      progress.push(p);
      options.onProgress?.(p);
    },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.logLimitBytes ? { logLimitBytes: options.logLimitBytes } : {}),
  });
  await log.close();
  return { result, progress, log: await readFile(request.logPath, 'utf8') };
}

/** The `data` of every row of a local-json raw file. */
export const jsonRows = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line)._airbyte_data as Record<string, unknown>);

/** The `data` of every row of a local-csv raw file (header skipped). */
export const csvRows = async (file: string) =>
  (await parseCsvText(await readFile(file, 'utf8'))).slice(1).map((row) => JSON.parse(row[2] as string));

/** Airbyte's bytesSynced of some rows: UTF-8 bytes of each serialized `record.data`. */
export const bytesOf = (rows: unknown[]) =>
  rows.reduce<number>((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);

/**
 * Processes whose parent is this one and that run one of the test connectors, from its entry point or its
 * bundle (not the bundler, which names an entry point among its arguments): pid = process group id.
 */
export function connectorChildren(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const script = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] ?? '';
        return ppid === process.pid && (ENTRY_POINTS.includes(script) || script.startsWith(BUNDLE_DIR));
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

/** Whether any process of this process group is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
