import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectorSettings } from './variant.ts';

/** The repository root, for spawning Ferry's entry points. */
export const repoRoot = resolve(import.meta.dirname, '../..');
const mainEntry = resolve(repoRoot, 'services/ferry/src/main.ts');

/**
 * One Ferry process started as a child of the test: its own process group (detached), so that killing the
 * group reaches everything it started in that group.
 */
export interface FerryProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:<port>/api` when the process runs the gateway, else null. */
  readonly url: string | null;
  /** How long the process took from spawn to serving (gateway) or to spawn (others), in ms. */
  readonly startupMs: number;
  /** The last few KB of its stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group; resolves when the leader has exited. */
  kill9(): Promise<void>;
  /** SIGTERM to the leader (a clean stop), SIGKILL to the group after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<FerryProcess>();
// A test process that dies without its afterAll must not leave Ferry processes behind.
process.once('exit', () => {
  for (const p of running) signalGroup(p.pid, 'SIGKILL');
});

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Environment variables a test must never inherit from the shell that runs it. */
const OWN_SETTINGS = /^(FERRY_|NATS_|EVENTSTORE_URL$|MONGODB_|LOCAL_ROOT$|LOG_LEVEL$)/;

export interface SpawnFerryOptions {
  /** Ferry's settings (FERRY_SERVICES, FERRY_DATA_DIR, NATS_URL, ...). FERRY_PORT defaults to 0 (a free port). */
  env: Record<string, string>;
  /** How long to wait for the gateway's "serving" line. */
  timeoutMs?: number;
  /** What to run instead of `node services/ferry/src/main.ts`, e.g. `npm start`'s `bash scripts/ferry start`. */
  command?: [string, ...string[]];
}

/**
 * Spawns `node services/ferry/src/main.ts` (or `options.command`) with the given settings. When FERRY_SERVICES includes the
 * gateway (or is unset: everything), resolves once the gateway prints its URL; otherwise at once.
 */
export async function spawnFerry(options: SpawnFerryOptions): Promise<FerryProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN_SETTINGS.test(k)));
  const env: Record<string, string | undefined> = {
    ...inherited,
    FERRY_PORT: '0',
    FERRY_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...connectorSettings(),
    ...options.env,
  };
  const services = (env.FERRY_SERVICES ?? 'gateway').split(',').map((s) => s.trim());
  const started = performance.now();
  const [command, ...args] = options.command ?? [process.execPath, mainEntry];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn Ferry');
  const pid = child.pid;
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let url: string | null = null;
  const handle: FerryProcess = {
    child,
    pid,
    get url() {
      return url;
    },
    startupMs: 0,
    output: () => log,
    exited,
    kill9: async () => {
      signalGroup(pid, 'SIGKILL');
      await exited;
      running.delete(handle);
    },
    stop: async (graceMs = 5_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Anything the process left in its group goes with it.
      signalGroup(pid, 'SIGKILL');
      running.delete(handle);
    },
  };
  running.add(handle);
  if (services.includes('gateway')) {
    try {
      url = await waitForUrl(child, () => log, options.timeoutMs ?? 30_000);
    } catch (error) {
      await handle.kill9();
      throw error;
    }
  }
  (handle as { startupMs: number }).startupMs = Math.round(performance.now() - started);
  return handle;
}

function waitForUrl(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => finish(() => reject(new Error(`Ferry did not serve within ${timeoutMs} ms:\n${output()}`))),
      timeoutMs,
    );
    const onData = () => {
      const match = /serving the Airbyte Configuration API at (\S+)/.exec(output());
      if (match) finish(() => resolveUrl(match[1]!));
    };
    const onExit = () => finish(() => reject(new Error(`Ferry exited before serving:\n${output()}`)));
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      outcome();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Kills every Ferry process these helpers started and that still runs (for afterAll). */
export async function killAllFerries(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill9()));
}

/**
 * Removes a directory Ferry processes killed with `killAllFerries` worked in. A runner killed so leaves its
 * connector processes started ahead (ADR 0027) to notice that fd 3 closed and exit by themselves, and Node
 * writes its compile cache (under the runner's TMPDIR) as a process exits: a removal in that moment met a
 * file made after it emptied the directory (ENOTEMPTY, once in a loaded CI run). Node's own retries cover it.
 */
export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
}

/** Whether a process (or process group, with a negative id) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
export type Json = any;

export interface ApiAnswer {
  status: number;
  body: Json;
  ms: number;
}

/** `POST <url>/v1/<path>` with a JSON body (or none); the answer's status, parsed body and duration. */
export async function post(
  url: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/${path}`, {
    method: 'POST',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** `GET <url>/v1/health`, or null when the gateway does not answer. */
export async function health(url: string): Promise<{ db: boolean } | null> {
  try {
    const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as { db: boolean }) : null;
  } catch {
    return null;
  }
}

/** Polls `probe` until it returns a truthy value, every `everyMs`, for at most `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The default workspace's id (api-facts.md). */
export const DEFAULT_WORKSPACE_ID = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
