// Issue 10's P1 and P7, each as a ratio to a baseline measured in the same run: Ferry's answers against a
// bare fastify process (bench/bare-fastify.ts) answering the same bytes, taken round after round in
// alternation so that whatever else the machine does falls on both alike; and Ferry's cold start (`npm
// start`'s entry point to a 200 on /api/v1/health) against that bare process's own start.
// Besides calls per second, each round reads the CPU time the serving processes used (/proc/<pid>/stat):
// on a shared machine the clock moves with the neighbours' work, CPU time per call far less.
// Writes "## API ratios, embedded" (or "..., distributed") in docs/benchmarks.md.
//   node bench/api-ratios.ts [--distributed] [rounds] [calls per round]     (default 5 rounds, 600 calls; half for the list)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, ensureServerBundle } from '../services/ferry/bundle.ts';
import {
  cpuSeconds,
  definition,
  entryOf,
  localJsonDestination,
  type Server as EmbeddedServer,
  post,
  startBare,
  startEmbedded,
  WORKSPACE,
  addConnections,
} from './processes.ts';
import { distributed } from './systems.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets, type TargetFigure } from './targets.ts';

const DISTRIBUTED = process.argv.includes('--distributed');
const [ROUNDS = 5, CALLS = 600] = process.argv
  .slice(2)
  .filter((arg) => /^\d+$/.test(arg))
  .map(Number);
const CLIENTS = 20;
// A list costs several times a get: half the calls a round keep its rounds as long and the whole of
// `npm run bench` within its ten minutes.
const LIST_CALLS = Math.ceil(CALLS / 2);
const MAIN = entryOf(join(import.meta.dirname, '..'));
const TITLE = `API ratios, ${DISTRIBUTED ? 'distributed' : 'embedded'}`;
type Server = Pick<EmbeddedServer, 'api' | 'startMs' | 'pids' | 'stop'>;

/** `calls` calls with `CLIENTS` in flight: calls per second, and the server's CPU µs per call. */
const round = async (server: Server, path: string, bodyOf: (i: number) => unknown, calls: number) => {
  let next = 0;
  const cpu = cpuSeconds(server.pids);
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < calls; i = next++) await post(server.api, path, bodyOf(i));
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const perSecond = calls / ((performance.now() - started) / 1000);
  return { perSecond, cpuMicros: ((cpuSeconds(server.pids) - cpu) * 1e6) / calls };
};

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

type Round = Awaited<ReturnType<typeof round>>;

/**
 * Ferry and the bare process, alternating which goes first: medians of each one's calls/s and CPU µs per
 * call, of the calls/s ratio, and of the CPU ratio (bare's CPU per call over Ferry's: 0.5 means Ferry
 * spends twice the bare process's CPU on a call).
 */
const compare = async (
  ferry: Server,
  bare: Server,
  path: string,
  bodyOf: (i: number) => unknown,
  calls: number,
) => {
  await round(ferry, path, bodyOf, calls); // warm-up: JIT, caches
  await round(bare, path, bodyOf, calls);
  const pairs: Array<{ ferry: Round; bare: Round }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const ferryFirst = i % 2 === 0;
    const first = await round(ferryFirst ? ferry : bare, path, bodyOf, calls);
    const second = await round(ferryFirst ? bare : ferry, path, bodyOf, calls);
    pairs.push(ferryFirst ? { ferry: first, bare: second } : { ferry: second, bare: first });
    const last = pairs.at(-1)!;
    process.stderr.write(
      `${path} round ${i + 1}: Ferry ${last.ferry.perSecond.toFixed(0)}/s ${last.ferry.cpuMicros.toFixed(0)} µs CPU, ` +
        `bare ${last.bare.perSecond.toFixed(0)}/s ${last.bare.cpuMicros.toFixed(0)} µs CPU\n`,
    );
  }
  const of = (pick: (pair: (typeof pairs)[number]) => number) => median(pairs.map(pick));
  return {
    ferry: of((p) => p.ferry.perSecond),
    bare: of((p) => p.bare.perSecond),
    ratio: of((p) => p.ferry.perSecond / p.bare.perSecond),
    ferryCpu: of((p) => p.ferry.cpuMicros),
    bareCpu: of((p) => p.bare.cpuMicros),
    cpuRatio: of((p) => p.bare.cpuMicros / p.ferry.cpuMicros),
  };
};

/**
 * P7: rounds of `npm start`'s server (the bundle, ADR 0016) and of the unbundled main.ts, each on a fresh data
 * directory (seeds the workspace and catalog) and restarted on it, and of the bare process's start, the order
 * alternating from round to round; medians of the time to a 200 on /api/v1/health and of the CPU time the
 * process had used by then, and the median of each round's ratio to the bare start. The bundle is built
 * afresh first, into a directory of its own (its first build's time), and checked again (what each
 * `npm start` pays when it is up to date). Then one start of the bundle with an empty compile cache (main.ts
 * keeps compiled code in Node's compile cache): the first start after an install or an upgrade of Node.
 */
const START_ROUNDS = 4;
const startTimes = async () => {
  const bundleDir = mkdtempSync(join(tmpdir(), 'ferry-bundle-'));
  const build = await ensureServerBundle({ force: true, dir: bundleDir });
  const check = await ensureServerBundle({ dir: bundleDir });
  const entries = { bundle: bundleEntry(bundleDir), unbundled: MAIN };
  const runs = { bundle: starts(), unbundled: starts(), bare: [] as Started[] };
  const timed = async (server: Server): Promise<Started> => {
    const started = { ms: server.startMs, cpu: cpuSeconds(server.pids) };
    await server.stop();
    return started;
  };
  for (let i = 0; i < START_ROUNDS; i++) {
    const order = i % 2 === 0 ? (['bundle', 'unbundled'] as const) : (['unbundled', 'bundle'] as const);
    for (const which of order) {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-ratios-'));
      runs[which].fresh.push(await timed(await startEmbedded(dir, true, {}, entries[which])));
      runs[which].existing.push(await timed(await startEmbedded(dir, false, {}, entries[which])));
    }
    runs.bare.push(await timed(await startBare({})));
  }
  const cache = mkdtempSync(join(tmpdir(), 'ferry-compile-cache-'));
  const uncached = await startEmbedded(undefined, false, { NODE_COMPILE_CACHE: cache }, entries.bundle);
  await uncached.stop();
  rmSync(cache, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
  const bare = runs.bare.map(({ ms }) => ms);
  const summary = (list: Started[]) => ({
    ms: median(list.map(({ ms }) => ms)),
    cpu: median(list.map(({ cpu }) => cpu)),
    ratio: median(list.map(({ ms }, i) => ms / bare[i]!)),
  });
  return {
    bundle: { fresh: summary(runs.bundle.fresh), existing: summary(runs.bundle.existing) },
    unbundled: { fresh: summary(runs.unbundled.fresh), existing: summary(runs.unbundled.existing) },
    bare: summary(runs.bare),
    uncached: uncached.startMs,
    buildMs: build.ms,
    checkMs: check.ms,
  };
};
interface Started {
  ms: number;
  cpu: number;
}
const starts = () => ({ fresh: [] as Started[], existing: [] as Started[] });

const calls = ({ ferry, ratio }: Compared, goal: number, what: string): TargetFigure => ({
  target: 'P1',
  figure: `${what}, ratio to bare fastify answering the same bytes`,
  measured: `${thousands(ferry)} calls/s`,
  ratio,
  goal: `≥ ${goal}× bare fastify`,
  met: ratio >= goal,
});

/** P1's goals: 0.3× for the web_backend list; connections/get 0.5× embedded, 0.25× over NATS. */
type Compared = Awaited<ReturnType<typeof compare>>;
const callTargets = (list: Compared, get: Compared): TargetFigure[] =>
  DISTRIBUTED
    ? [calls(get, 0.25, 'connections/get over NATS (32 connections)')]
    : [
        calls(get, 0.5, 'connections/get embedded (32 connections)'),
        calls(list, 0.3, 'web_backend/connections/list embedded (10 connections)'),
      ];

/** The ratio is to the bare fastify process's start in the same round. */
const startTarget = (coldMs: number, ratio: number): TargetFigure => ({
  target: 'P7',
  figure: 'embedded cold start to healthy (fresh data directory), ratio to a bare fastify start',
  measured: `${thousands(coldMs)} ms`,
  ratio,
  goal: '≤ 1,000 ms',
  met: coldMs <= 1000,
});

const main = async () => {
  const load = loadavg()[0]!.toFixed(1);
  const starts = DISTRIBUTED ? null : await startTimes();
  const ferry: Server = DISTRIBUTED
    ? await distributed().then((system) => ({
        api: system.api,
        startMs: system.startupMs,
        pids: system.pids,
        stop: system.stop,
      }))
    : await startEmbedded();
  const rows: string[][] = [];
  const targets: TargetFigure[] = starts
    ? [startTarget(starts.bundle.fresh.ms, starts.bundle.fresh.ratio)]
    : [];
  try {
    const api = ferry.api;
    const destination = await localJsonDestination(api, 'ratios');
    const faker = await definition(api, 'source', 'Faker');
    const ids = await addConnections(api, 10, destination.destinationId, faker);
    const workspace = { workspaceId: WORKSPACE };
    const measure = async (name: string, path: string, bodyOf: (i: number) => unknown, calls: number) => {
      const bare = await startBare({ [path]: await post(api, path, bodyOf(0)) });
      try {
        const r = await compare(ferry, bare, path, bodyOf, calls);
        rows.push([
          name,
          thousands(r.ferry),
          thousands(r.bare),
          r.ratio.toFixed(2),
          thousands(r.ferryCpu),
          thousands(r.bareCpu),
          r.cpuRatio.toFixed(2),
        ]);
        return r;
      } finally {
        await bare.stop();
      }
    };
    const list = await measure(
      'web_backend/connections/list (10 connections)',
      '/v1/web_backend/connections/list',
      () => workspace,
      LIST_CALLS,
    );
    ids.push(...(await addConnections(api, 22, destination.destinationId, faker)));
    const get = (i: number) => ({ connectionId: ids[i % ids.length] });
    const got = await measure('connections/get (32 connections)', '/v1/connections/get', get, CALLS);
    targets.push(...callTargets(list, got));
  } finally {
    await ferry.stop();
  }
  const mode = DISTRIBUTED
    ? 'the distributed system (one process each for gateway+audit, config, jobs, runner; NATS; PostgreSQL)'
    : "the embedded system (`npm start`'s entry point: in-process bus, SQLite)";
  const startRow = (name: string, { ms, cpu, ratio }: { ms: number; cpu: number; ratio: number }) => [
    name,
    thousands(ms),
    ratio.toFixed(2),
    cpu.toFixed(2),
  ];
  const startLines = starts
    ? [
        '',
        `Start to a 200 on /api/v1/health, ${START_ROUNDS} rounds alternating the bundle (what \`npm start\` runs, ` +
          `ADR 0016) and the unbundled main.ts; medians of the time, of its ratio to the bare fastify process's ` +
          `start in the same round, and of the CPU seconds the process had used by then. The bundle's build took ` +
          `${thousands(starts.buildMs)} ms, its up-to-date check ${thousands(starts.checkMs)} ms; the first start ` +
          `of the bundle with an empty compile cache (after an install or a Node upgrade), fresh data directory: ` +
          `${thousands(starts.uncached)} ms.`,
        '',
        table(
          ['start', 'ms', 'ratio to bare', 'CPU s'],
          [
            startRow('bundle, fresh data directory (seeds the workspace and catalog)', starts.bundle.fresh),
            startRow('bundle, existing data directory', starts.bundle.existing),
            startRow('unbundled main.ts, fresh data directory', starts.unbundled.fresh),
            startRow('unbundled main.ts, existing data directory', starts.unbundled.existing),
            startRow('bare fastify process', starts.bare),
          ],
          [false, true, true, true],
        ),
      ]
    : [];
  const section = [
    `## ${TITLE}`,
    '',
    `\`node bench/api-ratios.ts${DISTRIBUTED ? ' --distributed' : ''}\`: ${mode}, against a bare fastify process`,
    `(bench/bare-fastify.ts) answering the same bytes, ${CLIENTS} clients over loopback, ${thousands(CALLS)} calls a round (${thousands(LIST_CALLS)} for the list),`,
    `${ROUNDS} rounds alternating which goes first; medians. Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()},`,
    `load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
    `CPU µs/call: the CPU time (user + system) of the serving processes per call${DISTRIBUTED ? ' (the four Ferry processes, idle ones included; not nats-server or PostgreSQL)' : ''};`,
    `CPU ratio: bare's CPU per call over Ferry's, the figure that moves least with the machine's other work.`,
    ...startLines,
    '',
    table(
      [
        'call',
        'Ferry calls/s',
        'bare calls/s',
        'ratio',
        'Ferry CPU µs/call',
        'bare CPU µs/call',
        'CPU ratio',
      ],
      rows,
      [false, true, true, true, true, true, true],
    ),
    '',
  ].join('\n');
  await writeSection(TITLE, section);
  await recordTargets(DISTRIBUTED ? 'api-ratios-distributed' : 'api-ratios', targets);
  process.stdout.write(`${section}\n`);
};

await main();
