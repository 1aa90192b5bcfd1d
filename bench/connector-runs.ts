// The runs the database connector benches time (bench/mysql-throughput.ts, bench/postgres-throughput.ts):
// a source's `read` with its output read and dropped, a destination's `write` of generated records, and a
// whole sync through the runner's pipeline, each on the process runtime.
import path from 'node:path';
import type { ConnectorRuntime } from '@ferry/connector-runtime';
import { createMessageWriter, record, state } from '@ferry/protocol';
import { openAttemptLog, runSyncPipeline } from '@ferry/runner';

export const image = (m: { dockerRepository: string; dockerImageTag: string }) =>
  `${m.dockerRepository}:${m.dockerImageTag}`;

/** The fields of the benches' table: int key, text, double, boolean, timestamp. */
export const properties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  score: { type: 'number' },
  active: { type: 'boolean' },
  updated_at: { type: 'string' },
};

export const stream = (name: string, mode: string) => ({
  stream: { name, json_schema: { type: 'object', properties } },
  sync_mode: mode === 'overwrite' ? 'full_refresh' : 'incremental',
  destination_sync_mode: mode,
  primary_key: [['id']],
});

export const timed = async (work: () => Promise<void>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A source's `read` of one stream, its records counted and dropped; fails unless all `count` arrive. */
export async function sourceAlone(
  runtime: ConnectorRuntime,
  source: string,
  config: Record<string, unknown>,
  streamName: string,
  count: number,
) {
  const run = await runtime.run({
    image: source,
    command: 'read',
    config,
    catalog: { streams: [stream(streamName, 'overwrite')] },
  });
  let records = 0;
  for await (const line of run.messages)
    if (line.kind === 'message' && line.message.type === 'RECORD') records++;
  const exit = await run.exit;
  if (exit.code !== 0 || records !== count)
    throw new Error(`read ended ${exit.code} after ${records} records`);
}

/** A destination's `write` of `count` records of stream `people` in `mode`, a STATE every 50,000. */
export async function destinationAlone(
  runtime: ConnectorRuntime,
  destination: string,
  config: Record<string, unknown>,
  mode: string,
  count: number,
) {
  const run = await runtime.run({
    image: destination,
    command: 'write',
    config,
    catalog: { streams: [stream('people', mode)] },
  });
  const drained = (async () => {
    for await (const _ of run.messages);
  })();
  const out = createMessageWriter(run.stdin);
  const at = '2020-01-01T00:00:00.000';
  for (let n = 1; n <= count; n++) {
    const r = out.write(
      record('people', { id: n, name: `person ${n}`, score: n / 7, active: n % 2 === 1, updated_at: at }),
    );
    if (r !== true) await r;
    if (n % 50_000 === 0) await out.write(state({ at: n }));
  }
  await out.end();
  run.stdin.end();
  await drained;
  const exit = await run.exit;
  if (exit.code !== 0) throw new Error(`write exited ${exit.code}`);
}

/** A sync of `catalog` from one connector to the other through the runner's pipeline; fails unless it succeeds. */
export async function pipeline(
  runtime: ConnectorRuntime,
  root: string,
  source: { image: string; config: Record<string, unknown> },
  destination: { image: string; config: Record<string, unknown> },
  catalog: Parameters<typeof runSyncPipeline>[1]['catalog'],
) {
  const log = openAttemptLog(path.join(root, 'attempt.log'), []);
  const result = await runSyncPipeline(
    runtime,
    {
      jobId: 1,
      attempt: 0,
      kind: 'sync',
      connectionId: '00000000-0000-4000-8000-000000000001',
      source,
      destination,
      catalog,
      state: null,
      logPath: path.join(root, 'attempt.log'),
      heartbeatIntervalMs: 1000,
    },
    { signal: new AbortController().signal, onProgress: () => {}, log },
  );
  await log.close();
  if (!result.succeeded) throw new Error(`the sync failed: ${result.failureReason}`);
}
