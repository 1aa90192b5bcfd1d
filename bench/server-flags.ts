// Issue 10, P4: what `npm start`'s Node flags (services/ferry/node-flags) do to the embedded process's memory
// and CPU at 10,000 connections. One data directory is seeded (bench/list-data.ts); each round starts the
// bundle, as `npm start` does, once with each set of flags below, on a copy of that log with no read models,
// so that every start catches 20,000 created events up; it lists both connection lists page by page until
// they hold every connection, then reads 3 whole lists of each kind to their last byte. Figures: the most the
// process held (VmHWM) once caught up and at the end, and its CPU seconds (every thread) for each part.
// Writes "## Server flags" in docs/benchmarks.md.
//   node bench/server-flags.ts [connections] [rounds]     (default 10000 2)
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, ensureServerBundle } from '../services/ferry/bundle.ts';
import { seedConnections } from './list-data.ts';
import { cpuSeconds, drained, postJson, SERVER_FLAGS, startEmbedded, WORKSPACE } from './processes.ts';
import { table, thousands, writeSection } from './report.ts';

const [CONNECTIONS = 10_000, ROUNDS = 2] = process.argv.slice(2).map(Number);
const WHOLE_LISTS = 3;
const CANDIDATES: { name: string; flags: string[] }[] = [
  { name: 'no flags', flags: [] },
  { name: '`--max-semi-space-size=1`', flags: ['--max-semi-space-size=1'] },
  { name: '`--max-semi-space-size=8`', flags: ['--max-semi-space-size=8'] },
  { name: `\`npm start\`'s: \`${SERVER_FLAGS.join(' ')}\``, flags: SERVER_FLAGS },
];

/** Until both connection lists hold every connection, read a page of 1,000 at a time. */
const untilListed = async (api: string) => {
  const started = performance.now();
  for (const [path, items] of [
    ['/v1/connections/list', 'connections'],
    ['/v1/sources/list', 'sources'],
  ] as const) {
    for (;;) {
      let listed = 0;
      let pageToken: string | undefined;
      do {
        const page = await postJson(api, path, { workspaceId: WORKSPACE, pageSize: 1000, pageToken });
        listed += page[items].length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      if (listed === CONNECTIONS) break;
      if (performance.now() - started > 180_000) throw new Error(`${path}: ${listed} items after 3 minutes`);
      await new Promise((resume) => setTimeout(resume, 100));
    }
  }
};

/** One start with `flags` on a copy of the seeded log: its peaks and CPU seconds. */
const measure = async (seeded: string, flags: string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-flags-'));
  mkdirSync(join(dir, 'data'));
  // The log and the key its secrets are sealed with; no read models, so the start catches up.
  for (const file of ['events.sqlite', 'secret.key'])
    copyFileSync(join(seeded, 'data', file), join(dir, 'data', file));
  const ferry = await startEmbedded(dir, false, {}, bundleEntry(), flags);
  try {
    await untilListed(ferry.api);
    const caughtUp = { peak: ferry.rss().peak, cpu: cpuSeconds(ferry.pids) };
    for (let i = 0; i < WHOLE_LISTS; i++)
      for (const path of ['/v1/connections/list', '/v1/web_backend/connections/list'])
        await drained(ferry.api, path, { workspaceId: WORKSPACE });
    return { caughtUp, peak: ferry.rss().peak, listsCpu: cpuSeconds(ferry.pids) - caughtUp.cpu };
  } finally {
    await ferry.stop();
  }
};

const range = (values: number[], digits: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const [low, high] = [sorted[0]!.toFixed(digits), sorted.at(-1)!.toFixed(digits)];
  return low === high ? low : `${low}–${high}`;
};

const main = async () => {
  const load = () => loadavg()[0]!.toFixed(1);
  const loadAtStart = load();
  const seeded = mkdtempSync(join(tmpdir(), 'ferry-bench-flags-seed-'));
  try {
    await seedConnections(seeded, CONNECTIONS);
    await ensureServerBundle();
    const runs = CANDIDATES.map(() => [] as Awaited<ReturnType<typeof measure>>[]);
    // Rounds alternate the candidates, so that the load moves them alike.
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, { flags }] of CANDIDATES.entries()) runs[i]!.push(await measure(seeded, flags));
    const mb = (bytes: number) => bytes / 2 ** 20;
    const rows = CANDIDATES.map(({ name }, i) => [
      name,
      range(
        runs[i]!.map((r) => mb(r.caughtUp.peak)),
        0,
      ),
      range(
        runs[i]!.map((r) => mb(r.peak)),
        0,
      ),
      range(
        runs[i]!.map((r) => r.caughtUp.cpu),
        2,
      ),
      range(
        runs[i]!.map((r) => r.listsCpu),
        2,
      ),
    ]);
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    await writeSection(
      'Server flags',
      [
        '## Server flags',
        '',
        `\`node bench/server-flags.ts ${CONNECTIONS} ${ROUNDS}\`: the bundle started as \`npm start\` starts it, once with each set of`,
        `Node flags in each of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, on a copy of one log of ${thousands(CONNECTIONS)} connections and as many sources`,
        '(bench/list-data.ts) with no read models: it catches the log up, both connection lists are read page by page until',
        `they hold every connection, then ${WHOLE_LISTS} whole lists of each kind to their last byte. RSS is the most the process`,
        'held (VmHWM), CPU every thread of it from its start; each cell is the range over the rounds. Node',
        `${process.version}, ${cpus().length} × ${cpu}, load average ${loadAtStart} at the start and ${load()} at the end,`,
        `${new Date().toISOString().slice(0, 10)}. Why \`npm start\` has its flags: services/ferry/node-flags and ADR 0023.`,
        '',
        table(
          [
            'flags',
            'RSS caught up, MB',
            'RSS at most, MB',
            'CPU s to caught up',
            'CPU s for the whole lists',
          ],
          rows,
          [false, true, true, true, true],
        ),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(seeded, { recursive: true, force: true });
  }
};

await main();
