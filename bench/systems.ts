import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNatsServer } from '@ferry/bus/testing';
import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import { loadSettings, startFerry } from '@ferry/ferry';
import { pino } from 'pino';

/** A running Ferry for a benchmark: its API base URL, how long it took to serve, and how to stop it. */
export interface BenchSystem {
  api: string;
  startupMs: number;
  describe: string;
  /** The processes serving the API, for their CPU time. */
  pids: number[];
  stop(): Promise<void>;
}

const quiet = { LOG_LEVEL: 'silent', FERRY_SCHEDULER_TICK_MS: '0', FERRY_HOST: '127.0.0.1' };

/** Everything in this process: in-process bus, SQLite files in a temporary directory. */
export async function embedded(): Promise<BenchSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const started = performance.now();
  const settings = loadSettings({ ...quiet, FERRY_PORT: '0', FERRY_DATA_DIR: dir, LOCAL_ROOT: dir });
  const ferry = await startFerry(settings, pino({ level: 'silent' }));
  return {
    api: ferry.url!,
    startupMs: performance.now() - started,
    describe: 'the embedded system (in-process bus, SQLite)',
    pids: [process.pid], // the bench's own clients included: everything runs here
    async stop() {
      await ferry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const MAIN = resolve(import.meta.dirname, '../services/ferry/src/main.ts');

/**
 * The distributed system as `npm start` runs it across machines, on this one: a nats-server of its own,
 * PostgreSQL stores in a schema of their own (dropped at the end), and one process per service.
 */
export async function distributed(): Promise<BenchSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const nats = await startNatsServer();
  const schema = uniqueSchema('ferry_bench');
  const store = `${testPostgresUrl()}?schema=${schema}`;
  const env = {
    ...process.env,
    ...quiet,
    NATS_URL: nats.url,
    FERRY_EVENT_STORE_URL: store,
    FERRY_READ_STORE_URL: store,
    FERRY_DATA_DIR: dir,
    LOCAL_ROOT: dir,
    FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const started = performance.now();
  const children: ChildProcess[] = [];
  const run = (services: string, port = '0') => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...env, FERRY_SERVICES: services, FERRY_PORT: port },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return child;
  };
  // The gateway first creates the schema; the services then start together over it.
  const gateway = run('gateway,audit');
  const api = await new Promise<string>((done, fail) => {
    gateway.stdout?.on('data', (chunk: Buffer) => {
      const match = /at (http\S+)/.exec(chunk.toString());
      if (match) done(match[1]!);
    });
    gateway.once('exit', () => fail(new Error('the gateway exited')));
  });
  for (const services of ['config', 'jobs', 'runner']) run(services);
  await untilReady(api);
  return {
    api,
    startupMs: performance.now() - started,
    describe:
      'the distributed system (one process each for gateway+audit, config, jobs, runner; NATS; PostgreSQL)',
    pids: children.map((child) => child.pid!),
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((child) => new Promise((done) => child.once('exit', done))));
      await nats.stop();
      await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function untilReady(api: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    const ready = await fetch(`${api}/v1/ready`).catch(() => null);
    if (ready?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the distributed system did not become ready in 30 s');
}
