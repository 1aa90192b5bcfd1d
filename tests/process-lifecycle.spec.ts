import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fakerIntoLocalJson, httpApi, ok } from './support/jobs.ts';
import {
  type FerryProcess,
  killAllFerries,
  post,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * `npm start`'s entry point (services/ferry/src/main.ts) as a process, embedded mode: what its first
 * seconds print, and what a SIGTERM in the middle of a request does to the request.
 */
let dir: string;
let ferry: FerryProcess | undefined;

const start = async (env: Record<string, string> = {}) => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-lifecycle-'));
  ferry = await spawnFerry({
    env: { FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local'), ...env },
    timeoutMs: 60_000,
  });
  return ferry;
};

afterEach(async () => {
  await ferry?.stop();
  ferry = undefined;
  removeWorkDir(dir);
});
afterAll(() => killAllFerries());

/** Every line the process printed: JSON log lines parsed, anything else as text. */
const linesOf = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as { level: number; msg: string };
      } catch {
        return line;
      }
    });

describe('npm start (embedded mode)', () => {
  it('prints no warning or error in its first seconds and a sync, and JSON lines when stdout is no terminal', async () => {
    // A short tick: the scheduler asks for scheduled connections before the config service is up.
    const proc = await start({ LOG_LEVEL: 'info', FERRY_SCHEDULER_TICK_MS: '200' });
    const api = httpApi(proc.url!);
    const { connectionId } = await fakerIntoLocalJson(api, 100, 'clean-start');
    const answer = await post(proc.url!, 'connections/sync', { connectionId }, 60_000, {
      Prefer: 'wait=60',
    });
    expect(answer.body.job.status).toBe('succeeded');
    await new Promise((resume) => setTimeout(resume, 1_000));
    const lines = linesOf(proc.output());
    const text = lines.filter((line) => typeof line === 'string');
    expect(text).toEqual([expect.stringMatching(/^Ferry is serving the Airbyte Configuration API at /)]);
    const loud = lines.filter((line) => typeof line !== 'string' && line.level >= 40);
    expect(loud).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: 'Ferry is up' }));
  }, 120_000);
});

describe('SIGTERM to a Ferry process', () => {
  it('still answers the request in flight (a sync waited for with Prefer: wait), then exits 0 at once', async () => {
    const proc = await start({ LOG_LEVEL: 'info', FERRY_SCHEDULER_TICK_MS: '0' });
    const api = httpApi(proc.url!);
    const { connectionId } = await fakerIntoLocalJson(api, 100_000, 'sigterm');
    const answer = post(proc.url!, 'connections/sync', { connectionId }, 120_000, { Prefer: 'wait=110' });
    const running = await until('the sync to run', async () => {
      const { jobs } = await ok(api, 'jobs/list', { configType: 'sync', configId: connectionId });
      return jobs.find((j: { job: { status: string } }) => j.job.status === 'running');
    });
    proc.child.kill('SIGTERM');
    const answered = await answer;
    expect(answered.status).toBe(200);
    expect(answered.body.job).toMatchObject({ id: running.job.id, status: 'succeeded' });
    const answeredAt = performance.now();
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    // Nothing left to wait for once the answer is out: no keep-alive connection holds the exit back.
    expect(performance.now() - answeredAt).toBeLessThan(15_000);
    // A request after the signal finds nobody listening.
    await expect(post(proc.url!, 'health', undefined, 2_000)).rejects.toThrow();
    const errors = linesOf(proc.output()).filter((line) => typeof line !== 'string' && line.level >= 50);
    expect(errors).toEqual([]);
  }, 180_000);
});
