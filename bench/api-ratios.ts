// Issue 10's P1 and P7, each as a ratio to a baseline measured in the same run: Ferry's answers against a
// bare fastify process (bench/bare-fastify.ts) answering the same bytes, taken round after round in
// alternation so that whatever else the machine does falls on both alike; and Ferry's cold start (`npm
// start`'s entry point to a 200 on /api/v1/health) against that bare process's own start.
// Writes "## API ratios, embedded" (or "..., distributed") in docs/benchmarks.md.
//   node bench/api-ratios.ts [--distributed] [rounds] [calls per round]     (default 5 rounds, 600 calls)
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition, post, postJson, type Server, startBare, startEmbedded, WORKSPACE } from './processes.ts';
import { distributed } from './systems.ts';
import { table, thousands, writeSection } from './report.ts';

const DISTRIBUTED = process.argv.includes('--distributed');
const [ROUNDS = 5, CALLS = 600] = process.argv
  .slice(2)
  .filter((arg) => /^\d+$/.test(arg))
  .map(Number);
const CLIENTS = 20;
const TITLE = `API ratios, ${DISTRIBUTED ? 'distributed' : 'embedded'}`;

/** `count` more connections in the default workspace, each from a Faker source of its own into one destination. */
const addConnections = async (
  api: string,
  count: number,
  destinationId: string,
  sourceDefinitionId: string,
) => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = await postJson(api, '/v1/sources/create', {
      workspaceId: WORKSPACE,
      sourceDefinitionId,
      name: `ratios ${i}`,
      connectionConfiguration: { count: 10 },
    });
    const created = await postJson(api, '/v1/connections/create', {
      sourceId: source.sourceId,
      destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      schedule: { units: 1, timeUnit: 'hours' },
      syncSchema: { streams: [] },
    });
    ids.push(created.connectionId);
  }
  return ids;
};

/** `CALLS` calls with `CLIENTS` in flight: calls per second. */
const round = async (api: string, path: string, bodyOf: (i: number) => unknown) => {
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < CALLS; i = next++) await post(api, path, bodyOf(i));
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return CALLS / ((performance.now() - started) / 1000);
};

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** Ferry and the bare process, alternating which goes first: median calls/s of each and of their ratio. */
const compare = async (ferry: string, bare: string, path: string, bodyOf: (i: number) => unknown) => {
  await round(ferry, path, bodyOf); // warm-up: JIT, caches
  await round(bare, path, bodyOf);
  const pairs: Array<{ ferry: number; bare: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const ferryFirst = i % 2 === 0;
    const first = await round(ferryFirst ? ferry : bare, path, bodyOf);
    const second = await round(ferryFirst ? bare : ferry, path, bodyOf);
    pairs.push(ferryFirst ? { ferry: first, bare: second } : { ferry: second, bare: first });
    const last = pairs.at(-1)!;
    process.stderr.write(
      `${path} round ${i + 1}: Ferry ${last.ferry.toFixed(0)}/s, bare ${last.bare.toFixed(0)}/s\n`,
    );
  }
  return {
    ferry: median(pairs.map((p) => p.ferry)),
    bare: median(pairs.map((p) => p.bare)),
    ratio: median(pairs.map((p) => p.ferry / p.bare)),
  };
};

/** P7: three cold starts (fresh data directory: seeds the workspace and catalog), three restarts. */
const startTimes = async () => {
  const cold: number[] = [];
  const warm: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-ratios-'));
    const first = await startEmbedded(dir, true);
    cold.push(first.startMs);
    await first.stop();
    const again = await startEmbedded(dir);
    warm.push(again.startMs);
    await again.stop();
    const baseline = await startBare({});
    bare.push(baseline.startMs);
    await baseline.stop();
  }
  return { cold: median(cold), warm: median(warm), bare: median(bare) };
};

const main = async () => {
  const load = loadavg()[0]!.toFixed(1);
  const starts = DISTRIBUTED ? null : await startTimes();
  const ferry: Pick<Server, 'api' | 'startMs' | 'stop'> = DISTRIBUTED
    ? await distributed().then((system) => ({
        api: system.api,
        startMs: system.startupMs,
        stop: system.stop,
      }))
    : await startEmbedded();
  const rows: string[][] = [];
  try {
    const api = ferry.api;
    const destination = await postJson(api, '/v1/destinations/create', {
      workspaceId: WORKSPACE,
      destinationDefinitionId: await definition(api, 'destination', 'Local JSON'),
      name: 'ratios',
      connectionConfiguration: { destination_path: '/local/ratios' },
    });
    const faker = await definition(api, 'source', 'Faker');
    const ids = await addConnections(api, 10, destination.destinationId, faker);
    const workspace = { workspaceId: WORKSPACE };
    const measure = async (name: string, path: string, bodyOf: (i: number) => unknown) => {
      const bare = await startBare({ [path]: await post(api, path, bodyOf(0)) });
      try {
        const r = await compare(api, bare.api, path, bodyOf);
        rows.push([name, thousands(r.ferry), thousands(r.bare), r.ratio.toFixed(2)]);
      } finally {
        await bare.stop();
      }
    };
    await measure(
      'web_backend/connections/list (10 connections)',
      '/v1/web_backend/connections/list',
      () => workspace,
    );
    ids.push(...(await addConnections(api, 22, destination.destinationId, faker)));
    await measure('connections/get (32 connections)', '/v1/connections/get', (i) => ({
      connectionId: ids[i % ids.length],
    }));
  } finally {
    await ferry.stop();
  }
  const mode = DISTRIBUTED
    ? 'the distributed system (one process each for gateway+audit, config, jobs, runner; NATS; PostgreSQL)'
    : "the embedded system (`npm start`'s entry point: in-process bus, SQLite)";
  const startLines = starts
    ? [
        '',
        `Start to a 200 on /api/v1/health, median of 3: **${thousands(starts.cold)} ms** on a fresh data directory ` +
          `(seeds the workspace and the catalog), **${thousands(starts.warm)} ms** on an existing one; the bare ` +
          `fastify process: ${thousands(starts.bare)} ms (Ferry cold / bare: ${(starts.cold / starts.bare).toFixed(1)}×).`,
      ]
    : [];
  const section = [
    `## ${TITLE}`,
    '',
    `\`node bench/api-ratios.ts${DISTRIBUTED ? ' --distributed' : ''}\`: ${mode}, against a bare fastify process`,
    `(bench/bare-fastify.ts) answering the same bytes, ${CLIENTS} clients over loopback, ${thousands(CALLS)} calls a round,`,
    `${ROUNDS} rounds alternating which goes first; medians. Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()},`,
    `load average ${load} when it started, ${new Date().toISOString().slice(0, 10)}.`,
    ...startLines,
    '',
    table(['call', 'Ferry calls/s', 'bare calls/s', 'ratio'], rows, [false, true, true, true]),
    '',
  ].join('\n');
  await writeSection(TITLE, section);
  process.stdout.write(`${section}\n`);
};

await main();
