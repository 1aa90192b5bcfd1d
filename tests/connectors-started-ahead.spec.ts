import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFerry, type TestFerry } from './support/ferry.ts';
import {
  type Api,
  connectorProcesses,
  embeddedApi,
  fakerIntoLocalJson,
  killConnectorProcesses,
  ok,
  untilJobEnds,
} from './support/jobs.ts';
import { until } from './support/processes.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * ADR 0027 through the API: after a sync, each of its images has a process started ahead, which the next
 * sync runs in; stopping the server ends them all.
 */
describe('embedded: connector processes started ahead', () => {
  let ferry: TestFerry | undefined;
  let api: Api;

  beforeAll(async () => {
    ferry = await startTestFerry({ FERRY_SCHEDULER_TICK_MS: '0' });
    api = embeddedApi(ferry);
  }, 60_000);

  afterAll(async () => {
    if (!ferry) return;
    killConnectorProcesses(ferry.localRoot);
    for (const { pid } of connectorProcesses(ferry.localRoot, true)) process.kill(pid, 'SIGKILL');
    await ferry.stop();
  });

  it('keeps one per image after a sync, uses them up in the next, and ends them when the server stops', async () => {
    const root = ferry!.localRoot;
    const { connectionId } = await fakerIntoLocalJson(api, 100, 'ahead');
    const sync = async () => {
      const { job } = await ok(api, 'connections/sync', { connectionId });
      const done = await untilJobEnds(api, job.id, 60_000);
      expect(done.job.status).toBe('succeeded');
      expect(done.attempts[0].attempt.recordsSynced).toBe(100);
    };
    const waiting = () => connectorProcesses(root, true).map((p) => p.cmdline);
    await sync();
    await until('a process started ahead for each side', async () => waiting().length === 2, 10_000);
    expect(waiting().sort()).toEqual([
      expect.stringMatching(/^ferry-waiting ferry\/destination-local-json:/),
      expect.stringMatching(/^ferry-waiting ferry\/source-faker:/),
    ]);
    const before = connectorProcesses(root, true).map((p) => p.pid);
    await sync();
    await until('the next ones', async () => waiting().length === 2, 10_000);
    const after = connectorProcesses(root, true).map((p) => p.pid);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]); // each ran one sync, then ended
    await ferry!.stop();
    ferry = undefined;
    expect(connectorProcesses(root, true)).toEqual([]);
    expect(connectorProcesses(root)).toEqual([]);
  }, 120_000);
});

describe('embedded: FERRY_CONNECTORS_STARTED_AHEAD=false', () => {
  let ferry: TestFerry;

  beforeAll(async () => {
    ferry = await startTestFerry({ FERRY_SCHEDULER_TICK_MS: '0', FERRY_CONNECTORS_STARTED_AHEAD: 'false' });
  }, 60_000);

  afterAll(async () => {
    killConnectorProcesses(ferry.localRoot);
    await ferry.stop();
  });

  it('spawns each run and keeps no process waiting after a sync', async () => {
    const api = embeddedApi(ferry);
    const { connectionId } = await fakerIntoLocalJson(api, 10, 'spawned');
    const { job } = await ok(api, 'connections/sync', { connectionId });
    expect((await untilJobEnds(api, job.id, 60_000)).job.status).toBe('succeeded');
    // A waiting process would start 300 ms after its image's run ended (ADR 0027); give it well over that.
    await sleep(2_000);
    expect(connectorProcesses(ferry.localRoot, true)).toEqual([]);
  }, 120_000);
});
