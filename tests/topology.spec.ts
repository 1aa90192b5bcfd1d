import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectorProcesses,
  fakerIntoLocalJson,
  httpApi,
  killConnectorProcesses,
  ok,
  untilJob,
  untilJobEnds,
  syncing,
  type Api,
} from './support/jobs.ts';
import {
  type FerryProcess,
  killAllFerries,
  post,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';
import { DEFAULT_WORKSPACE_ID } from './support/ferry.ts';
import { startLoad } from './support/load.ts';

/**
 * The distributed topology under faults: every service its own process (two replicas of config, jobs and
 * runner; audit; gateway) over a nats-server of this test's own and PostgreSQL stores in a schema of its
 * own. Under a steady load of creates and a running sync, one replica of each service is killed with
 * SIGKILL in turn, then nats-server itself. What a user must be able to count on afterwards: no request
 * waited past its deadline, every acknowledged write is there (once), and the sync ended instead of
 * staying `running`.
 */
const LONGEST_WAIT_MS = 10_000;

let nats: NatsServer;
let dir: string;
let schema: string;
let env: Record<string, string>;
let api: Api;
const replicas: Record<'config' | 'jobs' | 'runner', FerryProcess[]> = { config: [], jobs: [], runner: [] };
const worstMsDuring: Record<string, number> = {};

const spawnService = (service: string) => spawnFerry({ env: { ...env, FERRY_SERVICES: service } });

/** The runner process whose connectors run: the parent of the test's connector processes. */
const runnerOfTheSync = (): FerryProcess | undefined => {
  const parents = connectorProcesses(env.LOCAL_ROOT!).map((p) => {
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  });
  return replicas.runner.find((runner) => parents.includes(runner.pid));
};

/** What /v1/ready said last: which service or store was not ready, for a wait that times out. */
let readiness = '';
const ready = async () => {
  const answer = await fetch(`${env.url}/v1/ready`).catch(() => null);
  readiness = answer ? `${answer.status} ${await answer.text()}` : 'no answer';
  return answer?.status === 200;
};
const untilReady = (what: string, timeoutMs: number) =>
  until(what, ready, timeoutMs, 250).catch((error: Error) => {
    throw new Error(`${error.message}; /v1/ready said ${readiness}`);
  });

beforeAll(async () => {
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'ferry-topology-'));
  schema = uniqueSchema('ferry_topology');
  const store = `${testPostgresUrl()}?schema=${schema}`;
  env = {
    NATS_URL: nats.url,
    FERRY_EVENT_STORE_URL: store,
    FERRY_READ_STORE_URL: store,
    FERRY_DATA_DIR: join(dir, 'data'),
    LOCAL_ROOT: join(dir, 'local'),
    // Replicas must share the sealing key; a generated one would differ per process.
    FERRY_SECRET_KEY: randomBytes(32).toString('hex'),
    FERRY_SYNC_HEARTBEAT_MS: '500',
    FERRY_SYNC_LEASE_MS: '5000',
    FERRY_SYNC_BACKOFF_MS: '2000',
    FERRY_SYNC_MAX_ATTEMPTS: '4',
    FERRY_SCHEDULER_TICK_MS: '0',
  };
  // The first process creates the schema; the rest start together over it.
  const gateway = await spawnService('gateway,audit');
  env.url = gateway.url!;
  const started = await Promise.all(
    ['config', 'config', 'jobs', 'jobs', 'runner', 'runner'].map(async (service) => ({
      service: service as keyof typeof replicas,
      process: await spawnService(service),
    })),
  );
  for (const { service, process } of started) replicas[service].push(process);
  api = httpApi(env.url);
  // Seven processes start at once; with the rest of the suite running beside them that took over a minute.
  await untilReady('every service ready', 120_000);
}, 180_000);

afterAll(async () => {
  await killAllFerries();
  if (env?.LOCAL_ROOT) killConnectorProcesses(env.LOCAL_ROOT);
  await nats?.stop();
  if (schema) await dropSchema(schema);
  if (dir) removeWorkDir(dir);
  console.info('topology: worst latency (ms) during each fault', worstMsDuring);
});

/** Kills one replica, lets the load run on the others for a while, then starts a replacement. */
const killReplica = async (
  service: keyof typeof replicas,
  load: ReturnType<typeof startLoad>,
  victim = replicas[service][0]!,
) => {
  const since = Date.now();
  await victim.kill9();
  replicas[service] = replicas[service].filter((p) => p !== victim);
  await new Promise((r) => setTimeout(r, 2_500));
  replicas[service].push(await spawnService(service));
  await new Promise((r) => setTimeout(r, 1_500));
  worstMsDuring[`kill -9 ${service}`] = load.worstSince(since);
};

describe('distributed topology on PostgreSQL under faults', () => {
  it('keeps every acknowledged write, bounds every wait and ends the sync through replica and NATS failures', async () => {
    const { connectionId } = await fakerIntoLocalJson(api, 600_000, 'topology');
    const sync = await ok(api, 'connections/sync', { connectionId });
    const jobId: number = sync.job.id;
    const load = startLoad(env.url!);
    await untilJob(api, jobId, 'the sync under way', syncing, 30_000, 100);

    await killReplica('config', load);
    await killReplica('jobs', load);
    await killReplica('runner', load, runnerOfTheSync() ?? replicas.runner[0]);

    const natsDownAt = Date.now();
    await nats.kill9();
    await new Promise((r) => setTimeout(r, 3_000));
    nats = await startNatsServer({ port: nats.port });
    await untilReady('every service ready again', 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    worstMsDuring['nats-server killed for 3 s'] = load.worstSince(natsDownAt);
    const calls = await load.stop();

    // No request waited past the longest deadline of a read or a write, and no fault became a 500.
    const slowest = calls.reduce((worst, call) => (call.ms > worst.ms ? call : worst));
    expect(slowest.ms, `slowest: ${JSON.stringify(slowest)}`).toBeLessThan(LONGEST_WAIT_MS);
    const statuses = new Set(calls.map((call) => call.status));
    expect([...statuses].filter((status) => ![200, 503, 504].includes(status))).toEqual([]);

    // Every acknowledged create is readable, and a create retried with its key was applied once.
    const acknowledged = calls.filter((call) => call.path === 'sources/create' && call.status === 200);
    expect(acknowledged.length).toBeGreaterThan(20);
    const listed = await ok(api, 'sources/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    const names = listed.sources.map((source: { name: string }) => source.name);
    for (const call of acknowledged) {
      const got = await post(env.url!, 'sources/get', { sourceId: call.id });
      expect(got.status, `acknowledged source ${call.name}`).toBe(200);
      expect(got.body.name).toBe(call.name);
      expect(names.filter((name: string) => name === call.name)).toHaveLength(1);
    }

    // The sync ends: succeeded, or failed after its retries; never left running without a runner.
    const ended = await untilJobEnds(api, jobId, 120_000);
    const attempts = ended.attempts.map((a: { attempt: { status: string } }) => a.attempt.status);
    expect(attempts).not.toContain('running');
    if (ended.job.status === 'succeeded') expect(attempts.at(-1)).toBe('succeeded');
    else expect(attempts.length).toBeGreaterThan(1);
    console.info('topology: sync', ended.job.status, 'attempts', attempts, 'calls', calls.length, {
      unavailable: calls.filter((call) => call.status !== 200).length,
    });
  }, 300_000);
});
