import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestFerry } from './ferry.ts';
import { type Json, post } from './processes.ts';

/**
 * Helpers for specs that drive syncs through the HTTP API, the same against an embedded Ferry
 * (`startTestFerry`) or a gateway in another process (`spawnFerry`).
 */
export type Api = (path: string, body?: unknown) => Promise<{ status: number; body: Json }>;

/** `path` without the `/v1/` prefix, as in `connections/sync`. */
export const embeddedApi =
  (ferry: TestFerry): Api =>
  async (path, body) => {
    const answer = await ferry.post(`/v1/${path}`, body);
    return { status: answer.status, body: answer.json };
  };

export const httpApi =
  (url: string): Api =>
  async (path, body) => {
    const answer = await post(url, path, body);
    return { status: answer.status, body: answer.body };
  };

/** The body of a 200 answer; anything else throws with the answer in the message. */
export async function ok(api: Api, path: string, body?: unknown): Promise<Json> {
  const answer = await api(path, body);
  if (answer.status !== 200)
    throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function definitionId(api: Api, kind: 'source' | 'destination', name: string): Promise<string> {
  const list = (await ok(api, `${kind}_definitions/list`))[`${kind}Definitions`] as Json[];
  const found = list.find((d) => d.name === name);
  if (!found) throw new Error(`no ${kind} definition named ${name}`);
  return found[`${kind}DefinitionId`];
}

export interface Pair {
  sourceId: string;
  destinationId: string;
}

/** Discovers the source, keeps only `stream` (with the given mode and cursor) and creates the connection. */
export async function connectStream(
  api: Api,
  pair: Pair,
  stream: string,
  syncMode: 'full_refresh' | 'incremental',
  cursorField: string[] = [],
): Promise<string> {
  const discovered = await ok(api, 'sources/discover_schema', { sourceId: pair.sourceId });
  // A stream is selected when any of its fields is (api-facts.md): the others get every field unselected.
  const streams = discovered.schema.streams.map((s: Json) => ({
    ...s,
    selected: s.name === stream,
    fields: s.fields.map((f: Json) => ({ ...f, selected: s.name === stream })),
    syncMode,
    cursorField: s.name === stream ? cursorField : [],
  }));
  if (!streams.some((s: Json) => s.selected)) throw new Error(`discover found no stream ${stream}`);
  const created = await ok(api, 'connections/create', {
    ...pair,
    syncMode,
    status: 'active',
    schedule: null,
    syncSchema: { streams },
  });
  return created.connectionId;
}

export const WORKSPACE_ID = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';

/** A Faker source with `count` users into a Local JSON destination at `/local/<dir>`, users selected. */
export async function fakerIntoLocalJson(api: Api, count: number, dir: string) {
  const source = await ok(api, 'sources/create', {
    workspaceId: WORKSPACE_ID,
    sourceDefinitionId: await definitionId(api, 'source', 'Faker'),
    connectionConfiguration: { count, seed: 1 },
    name: `faker ${dir}`,
  });
  const destination = await ok(api, 'destinations/create', {
    workspaceId: WORKSPACE_ID,
    destinationDefinitionId: await definitionId(api, 'destination', 'Local JSON'),
    connectionConfiguration: { destination_path: `/local/${dir}` },
    name: `json ${dir}`,
  });
  const pair = { sourceId: source.sourceId as string, destinationId: destination.destinationId as string };
  return { ...pair, connectionId: await connectStream(api, pair, 'users', 'full_refresh') };
}

export const TERMINAL_JOB = new Set(['succeeded', 'failed', 'cancelled']);

/** Polls `jobs/get` until `done(info)` holds; throws with the last answer after `timeoutMs`. */
export async function untilJob(
  api: Api,
  id: number,
  what: string,
  done: (info: Json) => boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await ok(api, 'jobs/get', { id });
    if (done(info)) return info;
    if (Date.now() > deadline) {
      const brief = { job: info.job, attempts: info.attempts.map((a: Json) => a.attempt) };
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(brief)}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls `jobs/get` until the job has ended (succeeded, failed or cancelled). */
export const untilJobEnds = (api: Api, id: number, timeoutMs: number): Promise<Json> =>
  untilJob(api, id, 'the job to end', (info) => TERMINAL_JOB.has(info.job.status), timeoutMs, 250);

/** The running attempt of a job has reported records: the sync is under way. */
export const syncing = (info: Json) =>
  info.job.status === 'running' &&
  info.attempts.at(-1)?.attempt.status === 'running' &&
  info.attempts.at(-1).attempt.recordsSynced > 0;

const FERRY_MAIN = 'services/ferry/src/main.ts';
/** What `ps` shows of a connector process started ahead while it waits (connector-runtime's WAITING_TITLE). */
const WAITING_TITLE = 'ferry-waiting ';

const readProc = (pid: string, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null; // gone while we looked, or not ours to read
  }
};

/**
 * Processes whose environment has `LOCAL_ROOT=<localRoot>`: the connectors a runtime started for this
 * test (the process runtime passes LOCAL_ROOT to each). Ferry's own processes, which got the setting from
 * the test, are left out, and so are the processes a runner started ahead for its next runs while they
 * wait (ADR 0027: they run nothing, and end with their runner; `waiting` lists those instead). A zombie
 * (exited, not yet reaped) counts as gone.
 */
export function connectorProcesses(localRoot: string, waiting = false): { pid: number; cmdline: string }[] {
  const needle = `\0LOCAL_ROOT=${localRoot}\0`;
  const found: { pid: number; cmdline: string }[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const environ = readProc(pid, 'environ');
    if (!environ || !`\0${environ}`.includes(needle)) continue;
    const cmdline = (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ').trim();
    const stat = readProc(pid, 'stat') ?? '';
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (cmdline.includes(FERRY_MAIN) || cmdline.startsWith(WAITING_TITLE) !== waiting) continue;
    if (state === 'Z' || state === '') continue;
    found.push({ pid: Number(pid), cmdline });
  }
  return found;
}

/** Waits until no connector process of `localRoot` is left; returns how long that took (ms). */
export async function untilNoConnectorProcess(localRoot: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const left = connectorProcesses(localRoot);
    if (left.length === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`connector processes still alive after ${timeoutMs} ms: ${JSON.stringify(left)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILL to every connector process of `localRoot` still alive (afterAll: no orphans, whatever failed). */
export function killConnectorProcesses(localRoot: string): number[] {
  const pids = connectorProcesses(localRoot).map((p) => p.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}

/** Lines of a file, counted without loading it whole (raw JSON files of a large sync run to 100 MB). */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** Files of a destination directory (empty when it does not exist). */
export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The `_airbyte_data` of each row of a Local CSV raw file (header skipped). */
export function csvData(file: string): Json[] {
  const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((line) => {
    const second = line.indexOf(',', line.indexOf(',') + 1);
    const field = line.slice(second + 1);
    const text = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
    return JSON.parse(text);
  });
}

export const rawFile = (localRoot: string, dir: string, stream: string, extension: 'csv' | 'jsonl') =>
  join(localRoot, dir, `_airbyte_raw_${stream.replace(/[^A-Za-z0-9_]/g, '_')}.${extension}`);
