// Issue 10, P4: lists at 10,000 connections and 10,000 sources. A data directory gets one source, one
// destination and one connection through the API; the log then gets 9,999 more ConnectionCreated and
// ActorCreated (source) events appended straight to its SQLite event store, copies of those with ids and
// names of their own (what the log of a user who made 10,000 of each holds; the API would take minutes to
// make them on this machine), and `npm start`'s entry point starts on it as a process of its own and
// projects them. Measured, one client, calls alternating with the baseline: every page of connections/list
// in turn, a page of 100 of each list (the first, and one 9,900 deep through its pageToken; sources/list
// stands for the lists that page in id order but are whole by name), then both connection lists whole; the
// process's RSS before and after the whole lists. The baseline is a bare fastify process (bench/bare-fastify.ts) answering each
// call with the bytes Ferry answered it. Writes "## Lists at 10,000 connections" in docs/benchmarks.md.
//   node bench/lists.ts [connections] [whole-list calls] [page calls]     (default 10000 5 50)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry, ensureServerBundle } from '../services/ferry/bundle.ts';
import { seedConnections } from './list-data.ts';
import {
  cpuSeconds,
  drained,
  post,
  postJson,
  type Server,
  startBare,
  startEmbedded,
  WORKSPACE,
} from './processes.ts';
import { table, thousands, writeSection } from './report.ts';
import { recordTargets, type TargetFigure } from './targets.ts';

const [CONNECTIONS = 10_000, WHOLE_CALLS = 5, PAGE_CALLS = 50] = process.argv.slice(2).map(Number);
const PAGE = 100;
const TITLE = 'Lists at 10,000 connections';
const LISTS = {
  plain: '/v1/connections/list',
  web: '/v1/web_backend/connections/list',
  sources: '/v1/sources/list',
} as const;
/** The answer's field holding a list's items. */
const ITEMS = { [LISTS.plain]: 'connections', [LISTS.web]: 'connections', [LISTS.sources]: 'sources' };

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)]!;

/** How the client reads an answer: decoded into a string (`post`), or only received to its last byte. */
type Read = (api: string, path: string, body: unknown) => Promise<unknown>;

const timed = async (api: string, path: string, body: unknown, read: Read) => {
  const started = performance.now();
  await read(api, path, body);
  return performance.now() - started;
};

/**
 * `calls` calls of each, Ferry and the bare process alternating: their times in ms, and the CPU ms Ferry's
 * process spent per call (read from /proc around each of its calls: a figure the machine's load does not
 * stretch as it does the times).
 */
const compare = async (
  ferry: Server,
  bare: string,
  path: string,
  body: unknown,
  calls: number,
  read: Read,
) => {
  await timed(ferry.api, path, body, read); // warm-up
  await timed(bare, path, body, read);
  const ours: number[] = [];
  const theirs: number[] = [];
  let cpu = 0;
  for (let i = 0; i < calls; i++) {
    const before = cpuSeconds(ferry.pids);
    ours.push(await timed(ferry.api, path, body, read));
    cpu += cpuSeconds(ferry.pids) - before;
    theirs.push(await timed(bare, path, body, read));
  }
  return { ours, theirs, cpuMs: (cpu * 1000) / calls };
};

/** Until the projections hold every connection and source, counted page by page (no whole list yet: see RSS). */
const untilListed = async (api: string) => {
  const started = performance.now();
  for (const path of [LISTS.plain, LISTS.sources]) {
    for (;;) {
      let listed = 0;
      let pageToken: string | undefined;
      do {
        const page = await postJson(api, path, { workspaceId: WORKSPACE, pageSize: 1000, pageToken });
        listed += page[ITEMS[path]].length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      if (listed === CONNECTIONS) break;
      // A bench runs unattended: a projection that never gets there is an error, not a wait.
      if (performance.now() - started > 180_000) throw new Error(`${path}: ${listed} items after 3 minutes`);
      await new Promise((resume) => setTimeout(resume, 200));
    }
  }
  return performance.now() - started;
};

/** The token of the page that starts `depth` items in, found by walking the pages: the walk's times too. */
const walk = async (api: string, path: (typeof LISTS)[keyof typeof LISTS], depth: number) => {
  const times: number[] = [];
  let pageToken: string | undefined;
  let deepToken: string | undefined;
  let read = 0;
  do {
    const started = performance.now();
    const page = await postJson(api, path, { workspaceId: WORKSPACE, pageSize: PAGE, pageToken });
    times.push(performance.now() - started);
    read += page[ITEMS[path]].length;
    pageToken = page.nextPageToken;
    if (read === depth) deepToken = pageToken;
  } while (pageToken);
  if (read !== CONNECTIONS) throw new Error(`${path}: the pages held ${read} items`);
  return { times, deepToken };
};

const main = async () => {
  const load = () => loadavg()[0]!.toFixed(1);
  const loadAtStart = load();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-lists-'));
  const seeded = performance.now();
  await seedConnections(dir, CONNECTIONS);
  const seedMs = performance.now() - seeded;
  // What `npm start` runs: the bundle (built here only when its inputs changed), with its Node flags.
  await ensureServerBundle();
  const ferry: Server = await startEmbedded(dir, false, {}, bundleEntry());
  const rows: string[][] = [];
  let rss = { afterStart: 0, pages: 0, now: 0, peak: 0 };
  let projectedMs = 0;
  let walked: number[] = [];
  const bares: Server[] = [];
  const targets: TargetFigure[] = [];
  /** A P4 figure: Ferry's p50 against its goal in ms, the ratio bare p50 / Ferry p50. */
  const latency = (figure: string, p50: number, base: number, goalMs: number) =>
    targets.push({
      target: 'P4',
      figure: `${figure}, p50, ratio to bare fastify sending the same bytes`,
      measured: `${p50 < 10 ? p50.toFixed(1) : thousands(p50)} ms`,
      ratio: base / p50,
      goal: `≤ ${goalMs} ms`,
      met: p50 <= goalMs,
    });
  try {
    const api = ferry.api;
    projectedMs = await untilListed(api);
    rss.afterStart = ferry.rss().now;
    const depth = CONNECTIONS - PAGE;
    const measure = async (name: string, path: string, body: unknown, calls: number, read: Read = post) => {
      const bare = await startBare({ [path]: await post(api, path, body) });
      bares.push(bare);
      const { ours, theirs, cpuMs } = await compare(ferry, bare.api, path, body, calls, read);
      const p50 = quantile(ours, 0.5);
      const base = quantile(theirs, 0.5);
      const ms = (v: number) => (v < 10 ? v.toFixed(1) : thousands(v));
      const row = [name, ms(p50), ms(quantile(ours, 0.99)), ms(cpuMs), ms(base), (base / p50).toFixed(2)];
      rows.push([...row, String(calls)]);
      process.stderr.write(`${rows.at(-1)!.join(' | ')}\n`);
      await bare.stop();
      return { p50, base };
    };
    const workspace = { workspaceId: WORKSPACE };
    for (const [label, path] of [
      ['connections/list', LISTS.plain],
      ['web_backend/connections/list', LISTS.web],
      ['sources/list', LISTS.sources],
    ] as const) {
      const { times, deepToken } = await walk(api, path, depth);
      if (path === LISTS.plain) walked = times;
      await measure(`${label}, first page of ${PAGE}`, path, { ...workspace, pageSize: PAGE }, PAGE_CALLS);
      const deep = { ...workspace, pageSize: PAGE, pageToken: deepToken };
      const page = await measure(`${label}, page of ${PAGE} at ${thousands(depth)}`, path, deep, PAGE_CALLS);
      latency(`${label}, a page of ${PAGE} at ${thousands(depth)}`, page.p50, page.base, 10);
    }
    rss.pages = ferry.rss().now;
    // Whole lists both ways: to the last byte (the server's cost, the targets' figure) and decoded into a
    // string as the first sessions measured them (the client's UTF-8 decoding of 23 MB included).
    const whole = (label: string, path: string) =>
      measure(`${label}, whole, decoded as text`, path, workspace, WHOLE_CALLS).then(() =>
        measure(`${label}, whole, to the last byte`, path, workspace, WHOLE_CALLS, drained),
      );
    const plain = await whole('connections/list', LISTS.plain);
    latency(`connections/list, whole, ${thousands(CONNECTIONS)} connections`, plain.p50, plain.base, 150);
    const web = await whole('web_backend/connections/list', LISTS.web);
    latency(
      `web_backend/connections/list, whole, ${thousands(CONNECTIONS)} connections`,
      web.p50,
      web.base,
      300,
    );
    rss = { ...rss, ...ferry.rss() };
  } finally {
    await ferry.stop();
    for (const bare of bares) await bare.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (bytes: number) => `${thousands(bytes / 1024 / 1024)} MB`;
  const section = [
    `## ${TITLE}`,
    '',
    `\`node bench/lists.ts ${CONNECTIONS} ${WHOLE_CALLS} ${PAGE_CALLS}\`: ${thousands(CONNECTIONS)} connections and as many sources in the default workspace (one`,
    'destination, a catalog of three streams of six fields), made as one source and one connection through the API and',
    `${thousands(CONNECTIONS - 1)} copies of each one's created event appended to the SQLite log (${thousands(seedMs)} ms in all); what`,
    '`npm start` runs (the bundle, embedded, with the Node flags of services/ferry/node-flags) then starts on that',
    `data directory and projects them (${thousands(projectedMs)} ms from its first answer to both whole lists).`,
    'sources/list stands for the lists whose pages are in id order while the whole list is by name (ADR 0013).',
    'One client over loopback; each call alternates with the same call to a bare fastify',
    'process answering the bytes Ferry answered it (bench/bare-fastify.ts); ratio = bare p50 / Ferry p50. A page',
    'call and a whole list "decoded as text" end when the client has the answer as a string; a whole list "to the',
    'last byte" ends when the client has received its last byte (counted, not decoded: the server\'s own cost; the',
    `targets' figure since issue 10's third session). p99 of ${WHOLE_CALLS} whole-list calls is their slowest.`,
    "Ferry's CPU per call: user and system time of its process, all threads, read from /proc around each of its calls.",
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average`,
    `${loadAtStart} at the start and ${load()} at the end, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    table(
      ['call', 'Ferry p50 ms', 'Ferry p99 ms', 'Ferry CPU ms/call', 'bare p50 ms', 'ratio', 'calls'],
      rows,
      [false, true, true, true, true, true, true],
    ),
    '',
    `Walking every page of 100 of connections/list: ${walked.length} pages, p50 ${quantile(walked, 0.5).toFixed(1)} ms,`,
    `slowest ${quantile(walked, 1).toFixed(1)} ms. The embedded process's RSS: ${mb(rss.afterStart)} once the ${thousands(CONNECTIONS)} connections and sources were`,
    `listed (page by page), ${mb(rss.pages)} after the page calls, ${mb(rss.now)} after the whole lists, ${mb(rss.peak)} at most (VmHWM).`,
    '',
  ].join('\n');
  await writeSection(TITLE, section);
  targets.push({
    target: 'P4',
    figure: `the embedded process's RSS at ${thousands(CONNECTIONS)} connections, most it held (VmHWM)`,
    measured: mb(rss.peak),
    goal: '≤ 250 MB',
    met: rss.peak <= 250 * 1024 * 1024,
  });
  await recordTargets('lists', targets);
  process.stdout.write(`${section}\n`);
};

await main();
