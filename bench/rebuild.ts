// Rebuilding the read models (issue 10, P6): the embedded projections (config and jobs) replayed from a log
// of N events into an empty SQLite read store, against a raw sequential read of the same log in the same
// run (every row read as an object, which the target's ratio is taken against; the same rows as arrays, the
// way the event store reads them; and read with its JSON parsed, as the event store hands events over), and
// against the projector as it was before batching (one get and one commit per event and projection). The
// log is a real scenario made through the API (sources, destinations, connections, updates, deletes), its
// events cloned with fresh ids until it holds N. Median of 3 runs; each pass's CPU seconds on the event
// loop's thread too, which a machine busy with other work inflates less than the wall clock. Writes
// "## Read-model rebuild" in docs/benchmarks.md.
//   node bench/rebuild.ts [events]      (default 100000)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EventStore, RecordedEvent } from '../packages/event-store/src/index.ts';
import { createSqliteEventStore } from '../packages/event-store-sqlite/src/index.ts';
import { changeOf, type Projection, startProjector } from '../packages/eventsourcing/src/index.ts';
import type { ReadStore } from '../packages/read-store/src/index.ts';
import { createSqliteReadStore } from '../packages/read-store-sqlite/src/index.ts';
import { configProjections } from '../services/config/src/projections/projections.ts';
import { jobsProjections } from '../services/jobs/src/projections/projections.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets } from './targets.ts';
import { scenarioEvents } from './rebuild-scenario.ts';

const EVENTS = Number(process.argv[2] ?? 100_000);
const ROUNDS = 3;
const projections = [...configProjections, ...jobsProjections] as Projection[];
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-rebuild-'));
const logFile = join(dir, 'events.sqlite');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The scenario's events again and again, each copy with its own ids (uuids replaced consistently). */
async function fillLog(seed: RecordedEvent[], scenario: RecordedEvent[], shared: Set<string>) {
  const store = createSqliteEventStore({ file: logFile });
  const revisions = new Map<string, number>();
  for (const { streamName, revision, id, type, data, metadata } of seed) {
    await store.append(streamName, [{ id, type, data, metadata }], 'any');
    revisions.set(streamName, revision);
  }
  while ((await store.headPosition()) < EVENTS) {
    const fresh = new Map<string, string>();
    const swap = (text: string) =>
      text.replace(UUID, (id) =>
        shared.has(id) ? id : (fresh.get(id) ?? fresh.set(id, randomUUID()).get(id)!),
      );
    const appends = scenario.map((event) => {
      const stream = swap(event.streamName);
      const revision = revisions.get(stream) ?? -1;
      revisions.set(stream, revision + 1);
      const { id, type, data, metadata } = JSON.parse(swap(JSON.stringify(event))) as RecordedEvent;
      return store.append(stream, [{ id, type, data, metadata }], revision === -1 ? 'no_stream' : revision);
    });
    await Promise.all(appends);
  }
  const head = await store.headPosition();
  await store.close();
  return head;
}

/** Every row of the log in order; with `parse`, its data and metadata parsed too. */
function rawRead(parse: boolean) {
  const db = new DatabaseSync(logFile, { readOnly: true });
  let n = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate()) {
    if (parse) JSON.parse(String(row.data)) && JSON.parse(String(row.metadata));
    n += 1;
  }
  db.close();
  return n;
}

/**
 * Every row of the log in order as arrays, the way the event store reads them (node:sqlite builds an
 * array about twice as fast as an object with named keys): the cheapest read of the rows here.
 */
function rawReadArrays() {
  const db = new DatabaseSync(logFile, { readOnly: true });
  const rows = db.prepare('SELECT * FROM events ORDER BY position');
  rows.setReturnArrays(true);
  let n = 0;
  for (const _ of rows.iterate()) n += 1;
  db.close();
  return n;
}

/** The projector before batching: per event and projection, a `get` when handled and a `commit`. */
async function perEvent(events: EventStore, reads: ReadStore) {
  for (let from = 0, page = await events.readAll({ limit: 256 }); page.length > 0; ) {
    for (const event of page) {
      for (const p of projections) {
        const id = p.handles.has(event.type) ? p.documentId(event) : undefined;
        const change =
          id === undefined ? [] : [changeOf(p, id, p.evolve(await reads.get(p.collection, id), event))];
        await reads.commit(p.name, event.position, change);
      }
      from = event.position;
    }
    page = await events.readAll({ fromPosition: from, limit: 256 });
  }
}

/** CPU seconds of this thread (the event loop's), where every pass here runs. */
const loopCpu = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1e6;
};

async function replay(kind: 'batched' | 'per event', head: number, cpu: number[]) {
  const events = createSqliteEventStore({ file: logFile });
  const file = join(dir, `reads-${randomUUID()}.sqlite`);
  const reads = createSqliteReadStore({ file });
  const started = performance.now();
  const cpuStarted = loopCpu();
  if (kind === 'per event') await perEvent(events, reads);
  else {
    const projector = await startProjector(events, reads, projections, (error) => {
      throw error;
    });
    await projector.waitFor(head, 600_000);
    await projector.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  cpu.push(loopCpu() - cpuStarted);
  await reads.close();
  await events.close();
  rmSync(file, { force: true });
  return head / seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const timedRead = (read: () => number, cpu: number[]) => {
  const started = performance.now();
  const cpuStarted = loopCpu();
  const n = read();
  cpu.push(loopCpu() - cpuStarted);
  return n / ((performance.now() - started) / 1000);
};

async function main() {
  const { seed, events: scenario, shared } = await scenarioEvents();
  const head = await fillLog(seed, scenario, shared);
  const load = loadavg()[0]!.toFixed(1);
  const figures = {
    rows: [] as number[],
    arrays: [] as number[],
    parsed: [] as number[],
    batched: [] as number[],
    perEvent: [] as number[],
  };
  const cpu = { rows: [], arrays: [], parsed: [], batched: [], perEvent: [] } as Record<
    keyof typeof figures,
    number[]
  >;
  for (let round = 0; round < ROUNDS; round += 1) {
    figures.rows.push(timedRead(() => rawRead(false), cpu.rows));
    figures.arrays.push(timedRead(rawReadArrays, cpu.arrays));
    figures.parsed.push(timedRead(() => rawRead(true), cpu.parsed));
    figures.batched.push(await replay('batched', head, cpu.batched));
    if (round === 0 || process.argv.includes('--before'))
      figures.perEvent.push(await replay('per event', head, cpu.perEvent));
  }
  const rows = median(figures.rows);
  const arrays = median(figures.arrays);
  const parsed = median(figures.parsed);
  const line = (name: string, kind: keyof typeof figures) => {
    const value = median(figures[kind]);
    const ratios = [rows, arrays, parsed].map((baseline) => `${(value / baseline).toFixed(2)}×`);
    return [name, thousands(value), ...ratios, median(cpu[kind]).toFixed(2)];
  };
  const section = [
    '## Read-model rebuild',
    '',
    `\`node bench/rebuild.ts ${EVENTS}\`: ${thousands(head)} events (a scenario of ${scenario.length} made through the API, cloned),`,
    `replayed by the ${projections.length} embedded projections into an empty SQLite read store; median of ${ROUNDS} runs (the`,
    `projector before batching: one run, it is slow). Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()},`,
    `load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}. Loop CPU s: the median pass's CPU`,
    'seconds on the event loop, where every pass runs (a busy machine inflates them less than the wall clock).',
    '',
    table(
      ['replay', 'events/s', '÷ rows read', '÷ arrays read', '÷ parsed read', 'loop CPU s'],
      [
        line('raw sequential read of the log, rows only (objects)', 'rows'),
        line('raw sequential read, rows as arrays (as the store reads them)', 'arrays'),
        line('raw sequential read, data and metadata parsed', 'parsed'),
        line('projector, batched (now)', 'batched'),
        line('projector, one commit per event and projection (before)', 'perEvent'),
      ],
      [false, true, true, true, true, true],
    ),
    '',
  ].join('\n');
  await writeSection('Read-model rebuild', section);
  const batched = median(figures.batched);
  await recordTargets('rebuild', [
    {
      target: 'P6',
      figure: `replay of ${thousands(head)} events into the read models, ratio to a raw sequential read of the rows`,
      measured: `${thousands(batched)} events/s`,
      ratio: batched / rows,
      goal: '≥ 100,000 events/s and ≥ 0.4×',
      met: batched >= 100_000 && batched / rows >= 0.4,
    },
  ]);
  process.stdout.write(`${section}\n`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
