// Servers a bench runs as processes of their own, so that what it measures (time, RSS) is theirs alone:
// `npm start`'s entry point (embedded, with the Node flags `npm start` gives it) and the bare fastify
// baseline (bench/bare-fastify.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WORKSPACE = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
/** `npm start`'s entry point in a checkout of Ferry: this one, or another tree to compare it with. */
export const entryOf = (tree: string) => join(tree, 'services/ferry/src/main.ts');
const MAIN = entryOf(join(import.meta.dirname, '..'));
/** The Node flags `npm start` runs the server with (scripts/ferry reads the same file). */
export const SERVER_FLAGS = readFileSync(join(import.meta.dirname, '../services/ferry/node-flags'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'));
const BARE = join(import.meta.dirname, 'bare-fastify.ts');
const quiet = { LOG_LEVEL: 'silent', FERRY_SCHEDULER_TICK_MS: '0', FERRY_HOST: '127.0.0.1', FERRY_PORT: '0' };

export const post = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return text;
};
/**
 * The call's answer read to its last byte and counted, not decoded: what a server costs a client that only
 * receives its answer (`post` also decodes 23 MB of UTF-8 into a string for a whole list of 10,000).
 */
export const drained = async (api: string, path: string, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  for await (const chunk of response.body ?? []) bytes += chunk.byteLength;
  return bytes;
};
// biome-ignore lint/suspicious/noExplicitAny: a benchmark reads arbitrary JSON answers
export const postJson = async (api: string, path: string, body: unknown): Promise<any> =>
  JSON.parse(await post(api, path, body));

export interface Server {
  api: string;
  startMs: number;
  /** The processes that serve a call (the bench's clients are not among them). */
  pids: number[];
  /** The process's resident set now, in bytes (Linux), and the most it held (VmHWM). */
  rss(): { now: number; peak: number };
  stop(): Promise<void>;
}

const statusKiB = (pid: number | undefined, field: string) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
};

/** The fields of a /proc stat file after the command's name (the process's state is the first). */
const statFields = (file: string) => {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** CPU seconds (user + system) in a /proc stat file: a process's, or one thread's. */
const statCpuSeconds = (file: string) => {
  const fields = statFields(file);
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** CPU seconds (user + system) the process's children used, those that ended and were waited for so far. */
export const childrenCpuSeconds = (pid: number | 'self' = 'self') => {
  const fields = statFields(`/proc/${pid}/stat`);
  return (Number(fields[13]) + Number(fields[14])) / 100;
};

/** A process's parent's pid. */
export const parentPid = (pid: number) => Number(statFields(`/proc/${pid}/stat`)[1]);

/** CPU seconds (user + system) the processes have used so far. */
export const cpuSeconds = (pids: number[]) =>
  pids.reduce((sum, pid) => sum + statCpuSeconds(`/proc/${pid}/stat`), 0);

/** CPU seconds the process's main thread (its event loop) has used so far, its other threads left out. */
export const mainThreadCpuSeconds = (pid: number) => statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);

/** Spawns a process that prints "at <url>", and times it from the spawn to a 200 on /api/v1/health. */
const spawnServer = async (args: string[], env: Record<string, string>, cleanup = () => {}) => {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Ferry prints its API's URL (…/api); the origin serves both /api/v1 and /v1.
  const api = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /at (http\S+)/.exec(out);
      if (match) done(new URL(match[1]!).origin);
    });
    child.once('exit', () => fail(new Error(`${args.join(' ')} exited`)));
  });
  for (;;) {
    const health = await fetch(`${api}/api/v1/health`).catch(() => null);
    if (health?.status === 200) break;
    await new Promise((resume) => setTimeout(resume, 5));
  }
  const startMs = performance.now() - started;
  const rss = () => ({ now: statusKiB(child.pid, 'VmRSS'), peak: statusKiB(child.pid, 'VmHWM') });
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((done) => child.once('exit', done));
    cleanup();
  };
  return { api, startMs, pids: [child.pid!], rss, stop } satisfies Server;
};

/**
 * `npm start`'s entry point, embedded, on a data directory of its own (`<dir>/data`; fresh unless given),
 * removed when it stops unless `keep`; with `npm start`'s Node flags unless others are given.
 */
export const startEmbedded = (
  dir = mkdtempSync(join(tmpdir(), 'ferry-bench-')),
  keep = false,
  env: Record<string, string> = {},
  main = MAIN,
  flags = SERVER_FLAGS,
) =>
  spawnServer(
    [...flags, main],
    { ...quiet, ...env, FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local') },
    () => {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  );

/** The bare fastify process answering each path with the bytes given. */
export const startBare = (answers: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bare-'));
  writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
  return spawnServer([BARE, join(dir, 'answers.json')], {}, () =>
    rmSync(dir, { recursive: true, force: true }),
  );
};

export const definition = async (api: string, kind: string, name: string): Promise<string> => {
  const list = await postJson(api, `/v1/${kind}_definitions/list`, {});
  // biome-ignore lint/suspicious/noExplicitAny: see postJson
  return list[`${kind}Definitions`].find((d: any) => d.name === name)[`${kind}DefinitionId`];
};

/** A Local JSON destination in the default workspace, named `name` and writing under `/local/<name>`. */
export const localJsonDestination = async (api: string, name: string) =>
  postJson(api, '/v1/destinations/create', {
    workspaceId: WORKSPACE,
    destinationDefinitionId: await definition(api, 'destination', 'Local JSON'),
    name,
    connectionConfiguration: { destination_path: `/local/${name}` },
  });

/** `count` more connections in the default workspace, each from a Faker source of its own into one destination. */
export const addConnections = async (
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
      name: `bench ${i}`,
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
