// History and audit: an audit/list page with 100,000 events in the log, and workspaces/as_of with 10,000,
// on the embedded system (in-process bus, SQLite). The events are appended straight to the event store (as
// many sources' creates and updates, each decided a second after the one before), then Ferry starts on them
// and its projections catch up; the calls are timed over HTTP once they have.
// Writes the figures under "## History and audit" in docs/benchmarks.md.
//   node bench/history.ts [auditEvents] [asOfEvents]      (default 100000 10000)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, openStores, startFerry } from '@ferry/ferry';
import { pino } from 'pino';
import { table, thousands, writeSection } from './report.ts';

const [AUDIT_EVENTS = 100_000, AS_OF_EVENTS = 10_000] = process.argv
  .slice(2)
  .filter((arg) => /^\d+$/.test(arg))
  .map(Number);
const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
const SOURCES = 1_000;
const ACTORS = ['user:ada', 'user:grace', 'token:5b0c6f4e-0000-4000-8000-000000000001', 'system:scheduler'];

const post = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  // biome-ignore lint/suspicious/noExplicitAny: a benchmark reads arbitrary JSON answers
  return response.json() as Promise<any>;
};

/** Median and 99th percentile of `runs` calls, in ms. */
const timed = async (runs: number, call: (i: number) => Promise<unknown>) => {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call(i);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
};

const start = (dir: string) =>
  startFerry(
    loadSettings({
      LOG_LEVEL: 'silent',
      FERRY_SCHEDULER_TICK_MS: '0',
      FERRY_HOST: '127.0.0.1',
      FERRY_PORT: '0',
      FERRY_DATA_DIR: dir,
      LOCAL_ROOT: dir,
    }),
    pino({ level: 'silent' }),
  );

/**
 * A log of `count` events after Ferry's own seed: SOURCES sources created, then updated in turn, each event
 * decided one second after the one before (from `from`, after the seed, so that times grow with positions
 * as in a real log) and by one of ACTORS; every 50th update is a delete and restore.
 */
const appendLog = async (dir: string, count: number, from: Date) => {
  const settings = loadSettings({ LOG_LEVEL: 'silent', FERRY_DATA_DIR: dir });
  const first = await start(dir);
  const definitions = await post(first.url!, '/v1/source_definitions/list', {});
  const faker = definitions.sourceDefinitions.find(
    (d: { name: string }) => d.name === 'Faker',
  ).sourceDefinitionId;
  await first.stop();
  const stores = await openStores(settings);
  const sources = Array.from({ length: Math.min(SOURCES, count) }, () => randomUUID());
  const revisions = new Map<string, number>();
  try {
    for (let n = 0; n < count; n++) {
      const actorId = sources[n % sources.length]!;
      const stream = `source-${actorId}`;
      const revision = revisions.get(stream) ?? -1;
      const kind = 'source';
      const name = `source ${n % sources.length} v${revision + 2}`;
      const configuration = { count: n, seed: 1 };
      const [type, data] =
        revision === -1
          ? [
              'ActorCreated',
              { actorId, kind, workspaceId: WORKSPACE, definitionId: faker, name, configuration },
            ]
          : revision % 50 === 48
            ? ['ActorDeleted', { actorId, kind }]
            : revision % 50 === 49
              ? ['ActorRestored', { actorId, kind, name, configuration, restoredVersion: revision }]
              : ['ActorUpdated', { actorId, kind, name, configuration }];
      const metadata = {
        actor: ACTORS[n % ACTORS.length]!,
        correlationId: randomUUID(),
        causationId: null,
        occurredAt: new Date(from.getTime() + n * 1000).toISOString(),
        schemaVersion: 1,
      };
      await stores.events.append(
        stream,
        [{ id: randomUUID(), type, data, metadata }],
        revision === -1 ? 'no_stream' : revision,
      );
      revisions.set(stream, revision + 1);
    }
  } finally {
    await Promise.all([stores.events.close(), stores.reads.close()]);
  }
  return sources;
};

/** Starts Ferry on the log and waits until the audit trail holds its last event. */
const caughtUp = async (dir: string, lastAt: string) => {
  const started = performance.now();
  const ferry = await start(dir);
  const settings = loadSettings({ LOG_LEVEL: 'silent', FERRY_DATA_DIR: dir });
  const stores = await openStores(settings);
  const head = await stores.events.headPosition();
  await Promise.all([stores.events.close(), stores.reads.close()]);
  // audit/list waits (up to 5 s a call) for the trail to reach the head before it answers.
  const body = { from: lastAt, pageSize: 10 };
  for (;;) {
    const page = await post(ferry.url!, '/v1/audit/list', body).catch(() => ({ entries: [] }));
    if (page.entries.some((e: { position: number }) => e.position === head)) break;
  }
  return { ferry, head, catchUpSeconds: (performance.now() - started) / 1000 };
};

const auditFigures = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-history-'));
  try {
    const from = new Date(Date.now() + 60_000);
    const sources = await appendLog(dir, AUDIT_EVENTS, from);
    const lastAt = new Date(from.getTime() + (AUDIT_EVENTS - 1) * 1000).toISOString();
    const { ferry, head, catchUpSeconds } = await caughtUp(dir, lastAt);
    const api = ferry.url!;
    try {
      const first = await post(api, '/v1/audit/list', {});
      const deep = async () => {
        let token = first.nextPageToken;
        for (let page = 0; page < 50; page++)
          token = (await post(api, '/v1/audit/list', { pageToken: token })).nextPageToken;
        return token;
      };
      const deepToken = await deep();
      const window = {
        from: new Date(from.getTime() + (AUDIT_EVENTS / 2) * 1000).toISOString(),
        to: new Date(from.getTime() + (AUDIT_EVENTS / 2 + 3_600) * 1000).toISOString(),
      };
      const cases: Array<[string, (i: number) => unknown]> = [
        ['first page (100), no filter', () => ({})],
        ['page 52 (100), through page tokens', () => ({ pageToken: deepToken })],
        ['1,000 entries, no filter', () => ({ pageSize: 1000 })],
        ['by resource (one source, 100 events)', (i) => ({ resourceId: sources[i % sources.length] })],
        ['by workspace', () => ({ workspaceId: WORKSPACE })],
        ['by actor', (i) => ({ actor: ACTORS[i % ACTORS.length] })],
        ['by type (ActorDeleted, 1 in 50)', () => ({ types: ['ActorDeleted'] })],
        [
          'by actor and type (checked entry by entry)',
          () => ({ actor: 'user:ada', types: ['ActorRestored'] }),
        ],
        ['an hour, in the middle of the log', () => window],
      ];
      const rows: string[][] = [];
      for (const [name, body] of cases) {
        const { p50, p99 } = await timed(50, (i) => post(api, '/v1/audit/list', body(i)));
        rows.push([name, p50.toFixed(1), p99.toFixed(1)]);
      }
      return { head, catchUpSeconds, rows };
    } finally {
      await ferry.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const asOfFigures = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-as-of-'));
  try {
    const from = new Date(Date.now() + 60_000);
    await appendLog(dir, AS_OF_EVENTS, from);
    const lastAt = new Date(from.getTime() + (AS_OF_EVENTS - 1) * 1000).toISOString();
    const { ferry, head } = await caughtUp(dir, lastAt);
    try {
      const at = (fraction: number) =>
        new Date(from.getTime() + fraction * AS_OF_EVENTS * 1000).toISOString();
      const rows: string[][] = [];
      for (const [name, body] of [
        ['at a time halfway through the log', { workspaceId: WORKSPACE, at: at(0.5) }],
        ['at the time of the last event', { workspaceId: WORKSPACE, at: lastAt }],
        ['at the last position', { workspaceId: WORKSPACE, position: head }],
      ] as const) {
        const { p50, p99 } = await timed(20, () => post(ferry.url!, '/v1/workspaces/as_of', body));
        rows.push([name, p50.toFixed(1), p99.toFixed(1)]);
      }
      const sources = (
        await post(ferry.url!, '/v1/workspaces/as_of', { workspaceId: WORKSPACE, position: head })
      ).sources.length as number;
      return { head, rows, sources };
    } finally {
      await ferry.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const load = loadavg()[0]!.toFixed(1);
const audit = await auditFigures();
const asOf = await asOfFigures();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
await writeSection(
  'History and audit',
  `## History and audit

\`node bench/history.ts\` on ${machine}, load average ${load} when it started (other work shares the machine:
medians are the figures to read): the embedded system (in-process bus, SQLite), timed over HTTP
(50 calls each, one at a time). The log is made of ${thousands(SOURCES)} sources' creates, updates, deletes
and restores by ${ACTORS.length} actors, a second apart, appended straight to the event store; Ferry then
starts on it.

\`audit/list\` with ${thousands(audit.head)} events in the log (the audit trail caught up with them in
${audit.catchUpSeconds.toFixed(0)} s after the start, projected once, then kept up event by event):

${table(['query', 'p50 ms', 'p99 ms'], audit.rows, [false, true, true])}

\`workspaces/as_of\` with ${thousands(asOf.head)} events in the log (${asOf.sources} sources in the workspace),
20 calls each; it folds the log from the start, so it grows with the log up to the time asked:

${table(['as of', 'p50 ms', 'p99 ms'], asOf.rows, [false, true, true])}
`,
);
process.stdout.write(`audit/list ${JSON.stringify(audit.rows)}\nas_of ${JSON.stringify(asOf.rows)}\n`);
