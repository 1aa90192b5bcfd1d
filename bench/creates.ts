// Durable writes end to end (issue 10, P3): sources/create per second on the embedded system (`npm start`'s
// entry point as a process of its own, as a client meets it) with 1 client and with 20 at once, against a
// raw SQLite insert with one fsync each (WAL, synchronous = FULL), measured in the same run; and the server
// process's CPU per create (/proc/<pid>/stat: every thread, the log's writer included), which the machine's
// other work moves far less than the rate, and the bench's own. Two clients in the same run, taking turns:
// `fetch`, and `node:http` over keep-alive connections (bench/keep-alive-client.ts, sending the same
// request), the light one a load generator uses: the bench runs on the server's two cores, and `fetch`
// spends about as much CPU per create as the server. The P3 row is the light client's (ADR 0035). Every
// answer is checked: status 200 and a sourceId. Median of 3 runs of each. Writes "## Durable writes
// (sources/create)" in docs/benchmarks.md.
//   node bench/creates.ts [creates per run]      (default 400)
// To hold a change to its speed, give a second tree (a checkout with node_modules): both run side by side,
// round after round alternating which goes first, with the light client, and only the comparison is printed:
//   node bench/creates.ts [creates per run] <other tree> [rounds]
// Profile the server with `NODE_OPTIONS=--cpu-prof` in `startEmbedded`'s environment.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../packages/sqlite/src/index.ts';
import {
  cpuSeconds,
  definition,
  entryOf,
  mainThreadCpuSeconds,
  startEmbedded,
  WORKSPACE,
} from './processes.ts';
import { keepAliveClient } from './keep-alive-client.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets } from './targets.ts';

const COUNT = Number(process.argv[2] ?? 400);
const OTHER = process.argv[3] && resolve(process.argv[3]);
const ROUNDS = Number(process.argv[4] ?? 3);

/**
 * Calls per second of `count` calls with `concurrency` in flight, and the server's CPU ms per call: the
 * whole process's (every thread) and its main thread's (the event loop, which one core bounds); and the
 * bench's own (its `fetch` clients), which runs on the same cores as the server.
 */
const measure = async (
  pid: number,
  count: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
) => {
  let next = 0;
  const cpu = cpuSeconds([pid]);
  const loopCpu = mainThreadCpuSeconds(pid);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await call(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientCpu);
  return {
    perSecond: count / seconds,
    cpuMs: ((cpuSeconds([pid]) - cpu) * 1000) / count,
    loopCpuMs: ((mainThreadCpuSeconds(pid) - loopCpu) * 1000) / count,
    clientCpuMs: (client.user + client.system) / 1000 / count,
  };
};
type Figures = Awaited<ReturnType<typeof measure>>;
const shown = (f: Figures) =>
  `${f.perSecond.toFixed(0)}/s, CPU ${f.cpuMs.toFixed(2)} ms (loop ${f.loopCpuMs.toFixed(2)} ms), client ${f.clientCpuMs.toFixed(2)} ms`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Throws unless the answer is a created source: status 200 and a sourceId. */
const created = (status: number, text: string) => {
  if (status !== 200 || typeof JSON.parse(text).sourceId !== 'string')
    throw new Error(`sources/create: ${status} ${text}`);
};

/** The clients the bench creates with: `fetch`, and `node:http` keep-alive, the light one. */
const CLIENTS = ['fetch', 'http'] as const;
type Client = (typeof CLIENTS)[number];
const CLIENT_NAMES: Record<Client, string> = { fetch: '`fetch`', http: '`node:http` keep-alive' };

/**
 * A running tree and its sources/create by each client, warmed up: its Faker spec fetched and cached, the
 * path compiled.
 */
const creating = async (main?: string) => {
  const server = await startEmbedded(undefined, false, {}, main);
  const faker = await definition(server.api, 'source', 'Faker');
  const body = (i: number) => ({
    workspaceId: WORKSPACE,
    sourceDefinitionId: faker,
    name: `bench ${i}`,
    connectionConfiguration: { count: 1 },
  });
  const light = keepAliveClient(server.api, 20);
  const create: Record<Client, (i: number) => Promise<void>> = {
    fetch: async (i) => {
      const response = await fetch(`${server.api}/v1/sources/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(i)),
      });
      created(response.status, await response.text());
    },
    http: async (i) => {
      const { status, text } = await light.post('/v1/sources/create', body(i));
      created(status, text);
    },
  };
  // The first create fetches the Faker spec and caches it: alone, or twenty would race to cache it (409).
  await create.http(-1);
  const [pid] = server.pids as [number];
  const one = (client: Client) => measure(pid, COUNT / 4, 1, create[client]);
  const twenty = (client: Client) => measure(pid, COUNT, 20, create[client]);
  // Unmeasured: the first few hundred creates also compile the path (the first round's CPU was 1.5–2× the others').
  for (const client of CLIENTS) await twenty(client);
  const stop = async () => {
    light.close();
    await server.stop();
  };
  return { stop, one, twenty };
};

/** This tree and `other`, round after round, alternating which goes first; prints the comparison. */
async function compare(other: string) {
  const trees = { this: await creating(), other: await creating(entryOf(other)) };
  const rounds: Array<Record<keyof typeof trees, { one: Figures; twenty: Figures }>> = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const);
      const round = {} as (typeof rounds)[number];
      for (const name of order)
        round[name] = { one: await trees[name].one('http'), twenty: await trees[name].twenty('http') };
      rounds.push(round);
      const show = (name: keyof typeof trees) =>
        (['one', 'twenty'] as const)
          .map((clients) => `${clients === 'one' ? 1 : 20}: ${shown(round[name][clients])}`)
          .join(', ');
      process.stdout.write(
        `round ${i + 1} (load ${loadavg()[0]!.toFixed(1)}): this ${show('this')}; other ${show('other')}\n`,
      );
    }
    for (const clients of ['one', 'twenty'] as const)
      for (const figure of ['perSecond', 'cpuMs', 'loopCpuMs', 'clientCpuMs'] as const) {
        const m = (name: keyof typeof trees) => median(rounds.map((r) => r[name][clients][figure]));
        process.stdout.write(
          `median, ${clients === 'one' ? '1 client' : '20 clients'}, ${figure}: this ${m('this').toFixed(2)}, ` +
            `other ${m('other').toFixed(2)}, this ÷ other ${(m('this') / m('other')).toFixed(2)}\n`,
        );
      }
  } finally {
    await trees.this.stop();
    await trees.other.stop();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-raw-'));
  const db = openDatabase(join(dir, 'raw.sqlite'), 'FULL');
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT, data TEXT)');
  const insert = db.prepare('INSERT INTO events (id, data) VALUES (?, ?)');
  const system = await creating();
  const load = loadavg()[0]!.toFixed(1);
  try {
    const figures = {
      raw: [] as number[],
      fetch: { one: [] as Figures[], twenty: [] as Figures[] },
      http: { one: [] as Figures[], twenty: [] as Figures[] },
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      figures.raw.push(
        (await measure(process.pid, COUNT, 1, async () => insert.run(randomUUID(), '{}'))).perSecond,
      );
      // The clients take turns going first, so neither always meets the other's leftovers (GC, the WAL).
      for (const client of round % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()) {
        figures[client].one.push(await system.one(client));
        figures[client].twenty.push(await system.twenty(client));
      }
    }
    const raw = median(figures.raw);
    const rate = (runs: Figures[]) => median(runs.map((run) => run.perSecond));
    const ms = (runs: Figures[], figure: 'cpuMs' | 'loopCpuMs' | 'clientCpuMs') =>
      median(runs.map((run) => run[figure]));
    const row = (name: string, runs: Figures[]) => [
      name,
      thousands(rate(runs)),
      `${(rate(runs) / raw).toFixed(2)}×`,
      ms(runs, 'cpuMs').toFixed(2),
      ms(runs, 'loopCpuMs').toFixed(2),
      ms(runs, 'clientCpuMs').toFixed(2),
    ];
    const bound = (client: Client) => {
      const runs = figures[client].twenty;
      const both = ms(runs, 'cpuMs') + ms(runs, 'clientCpuMs');
      return `with ${CLIENT_NAMES[client]}, ${both.toFixed(2)} ms: ${cpus().length} cores do at most ${thousands((cpus().length * 1000) / both)} creates/s so`;
    };
    const loopMs = ms(figures.http.twenty, 'loopCpuMs');
    const section = [
      '## Durable writes (sources/create)',
      '',
      `\`node bench/creates.ts ${COUNT}\`: the embedded system (\`npm start\`'s entry point as a process of its own:`,
      `in-process bus, SQLite), over HTTP on loopback from the bench's process; median of ${ROUNDS} runs (${COUNT}`,
      `creates with 20 clients, ${COUNT / 4} with 1) with each of two clients, taking turns: \`fetch\`, and`,
      '`node:http` over keep-alive connections sending the same request (bench/keep-alive-client.ts), as a load',
      'generator does. The P3 row of the Targets table is the `node:http` figure: the bench shares the',
      "server's two cores, and `fetch` spends about as much CPU per create as the server (ADR 0035). Every answer",
      'is checked (status 200, a sourceId). Baseline: a raw SQLite insert with one commit (one fsync) each, in the',
      "same run. CPU per create: the server process's, all its threads, and its main thread's (the event loop),",
      "from /proc; and the bench's own, its clients.",
      `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average`,
      `${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      table(
        [
          'call',
          'per second',
          '÷ raw insert',
          'server CPU ms per call',
          'of it the event loop',
          'client CPU ms per call',
        ],
        [
          ['raw SQLite insert, one fsync each', thousands(raw), '1.00×', '', '', ''],
          ...CLIENTS.flatMap((client) => [
            row(`sources/create, 1 client, ${CLIENT_NAMES[client]}`, figures[client].one),
            row(`sources/create, 20 clients, ${CLIENT_NAMES[client]}`, figures[client].twenty),
          ]),
        ],
        [false, true, true, true, true, true],
      ),
      '',
      `With 20 \`node:http\` clients the event loop used ${loopMs.toFixed(2)} ms of CPU per create: one loop does at`,
      `most ${thousands(1000 / loopMs)} creates/s so, whatever the disk and the other threads do. Server and client`,
      `together used, ${bound('fetch')}; ${bound('http')}.`,
      '',
    ].join('\n');
    await writeSection('Durable writes (sources/create)', section);
    const twenty = rate(figures.http.twenty);
    await recordTargets('creates', [
      {
        target: 'P3',
        figure: `sources/create with 20 clients (node:http keep-alive; with fetch ${thousands(rate(figures.fetch.twenty))}/s), embedded, ratio to a raw one-fsync SQLite insert`,
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

await (OTHER ? compare(OTHER) : main());
