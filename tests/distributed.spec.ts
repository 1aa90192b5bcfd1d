import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKSPACE_ID,
  type FerryProcess,
  health,
  isAlive,
  killAllFerries,
  post,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * Distributed mode: the services as separate processes over a real nats-server, sharing one data directory
 * (SQLite stores opened by several processes). Everything goes through the gateway over HTTP.
 */
const REQUEST_TIMEOUT_MS = 10_000;

let nats: NatsServer;
let dir: string;
let env: Record<string, string>;
let gateway: FerryProcess;
let config: FerryProcess;
let jobs: FerryProcess;
let audit: FerryProcess;
let url: string;
const timings: Record<string, number> = {};

const startConfig = () => spawnFerry({ env: { ...env, FERRY_SERVICES: 'config' } });

/** Ready when the config service answers health with a working store, and the jobs service answers too. */
const untilReady = async () => {
  await until('health {db: true}', async () => (await health(url))?.db === true);
  await until(
    'jobs service',
    async () => (await post(url, 'jobs/list', { configType: 'get_spec', configId: 'none' })).status === 200,
  );
  await until(
    'config service',
    async () => (await post(url, 'workspaces/get', { workspaceId: DEFAULT_WORKSPACE_ID })).status === 200,
  );
};

beforeAll(async () => {
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'ferry-distributed-'));
  env = {
    NATS_URL: nats.url,
    FERRY_DATA_DIR: join(dir, 'data'),
    LOCAL_ROOT: join(dir, 'local'),
    LOG_LEVEL: 'warn',
    FERRY_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  };
  const started = performance.now();
  [config, jobs, audit, gateway] = await Promise.all([
    startConfig(),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'jobs,runner' } }),
    // The audit service relays every stored event to `ferry.events.>`.
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'audit' } }),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'gateway' } }),
  ]);
  url = gateway.url!;
  await untilReady();
  timings.startupMs = Math.round(performance.now() - started);
}, 60_000);

afterAll(async () => {
  await killAllFerries();
  await nats?.stop();
  for (const p of [config, jobs, audit, gateway])
    if (p) expect(isAlive(-p.pid), `process group ${p.pid} is gone`).toBe(false);
  if (dir) removeWorkDir(dir);
  console.info('distributed timings', timings);
});

describe('Ferry over NATS, one process per service group', () => {
  const ids: {
    faker?: string;
    localJson?: string;
    source?: string;
    destination?: string;
    connection?: string;
  } = {};
  let schema: { streams: { name: string }[] } | undefined;

  it('serves the default workspace', async () => {
    const res = await post(url, 'workspaces/get', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workspaceId: DEFAULT_WORKSPACE_ID, name: 'default', slug: 'default' });
  });

  it('lists the built-in definitions', async () => {
    const sources = await post(url, 'source_definitions/list');
    const destinations = await post(url, 'destination_definitions/list');
    expect(sources.status).toBe(200);
    expect(destinations.status).toBe(200);
    ids.faker = sources.body.sourceDefinitions.find(
      (d: { name: string }) => d.name === 'Faker',
    )?.sourceDefinitionId;
    ids.localJson = destinations.body.destinationDefinitions.find(
      (d: { name: string }) => d.name === 'Local JSON',
    )?.destinationDefinitionId;
    expect(ids.faker).toBeTypeOf('string');
    expect(ids.localJson).toBeTypeOf('string');
  });

  it('gets a spec (a get_spec job run by the runner process)', async () => {
    const res = await post(url, 'source_definition_specifications/get', { sourceDefinitionId: ids.faker });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sourceDefinitionId).toBe(ids.faker);
    expect(res.body.connectionSpecification.properties).toHaveProperty('count');
  });

  it('creates and checks a Local JSON destination and a Faker source', async () => {
    const destination = await post(url, 'destinations/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: ids.localJson,
      connectionConfiguration: { destination_path: '/local/distributed' },
      name: 'dist-json',
    });
    expect(destination.status, JSON.stringify(destination.body)).toBe(200);
    ids.destination = destination.body.destinationId;
    const source = await post(url, 'sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: { count: 10, seed: 7 },
      name: 'dist-faker',
    });
    expect(source.status, JSON.stringify(source.body)).toBe(200);
    ids.source = source.body.sourceId;

    const [checkSource, checkDestination] = await Promise.all([
      post(url, 'sources/check_connection', { sourceId: ids.source }),
      post(url, 'destinations/check_connection', { destinationId: ids.destination }),
    ]);
    expect(checkSource.status, JSON.stringify(checkSource.body)).toBe(200);
    expect(checkSource.body.status).toBe('succeeded');
    expect(checkDestination.status, JSON.stringify(checkDestination.body)).toBe(200);
    expect(checkDestination.body.status).toBe('succeeded');
  });

  it('discovers the Faker streams', async () => {
    const res = await post(url, 'sources/discover_schema', { sourceId: ids.source });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    schema = res.body.schema;
    expect(schema!.streams.map((s) => s.name).sort()).toEqual(['products', 'purchases', 'users']);
  });

  it('creates a connection and lists it', async () => {
    const created = await post(url, 'connections/create', {
      sourceId: ids.source,
      destinationId: ids.destination,
      syncMode: 'full_refresh',
      status: 'active',
      syncSchema: schema,
      name: 'dist-connection',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    ids.connection = created.body.connectionId;
    const list = await post(url, 'connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.status).toBe(200);
    expect(list.body.connections.map((c: { connectionId: string }) => c.connectionId)).toContain(
      ids.connection,
    );
  });

  it('shows the check jobs with their attempts and logs', async () => {
    for (const [configType, configId] of [
      ['check_connection_source', ids.source],
      ['check_connection_destination', ids.destination],
    ]) {
      const list = await post(url, 'jobs/list', { configType, configId });
      expect(list.status).toBe(200);
      expect(list.body.jobs.length).toBeGreaterThanOrEqual(1);
      const [newest] = list.body.jobs;
      expect(newest.job).toMatchObject({ configType, configId, status: 'succeeded' });
      expect(newest.attempts.length).toBeGreaterThanOrEqual(1);
      expect(newest.attempts[0].status).toBe('succeeded');
      const job = await post(url, 'jobs/get', { id: newest.job.id });
      expect(job.status).toBe(200);
      expect(job.body.attempts[0].logs.logLines.length).toBeGreaterThan(0);
    }
  });

  it('answers 503 at once when the config service is down, and recovers with every record after a restart', async () => {
    await config.kill9();
    // No responders on the config subjects: NATS says so at once, so the gateway must not wait for its timeout.
    for (const [path, body] of [
      ['workspaces/get', { workspaceId: DEFAULT_WORKSPACE_ID }],
      ['sources/get', { sourceId: ids.source }],
      [
        'sources/create',
        {
          workspaceId: DEFAULT_WORKSPACE_ID,
          sourceDefinitionId: ids.faker,
          connectionConfiguration: {},
          name: 'x',
        },
      ],
    ] as const) {
      const res = await post(url, path, body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(res.body.message).toBeTypeOf('string');
      expect(res.ms, `${path} answered in ${Math.round(res.ms)} ms`).toBeLessThan(REQUEST_TIMEOUT_MS / 5);
      timings[`503 ${path} ms`] = Math.round(res.ms);
    }
    // The other services keep answering.
    expect(
      (await post(url, 'jobs/list', { configType: 'check_connection_source', configId: ids.source! })).status,
    ).toBe(200);
    // A call the jobs service handles but which needs the config service (to read the source) fails as fast.
    const nested = await post(url, 'sources/check_connection', { sourceId: ids.source });
    expect(nested.status, `check_connection: ${JSON.stringify(nested.body)}`).toBe(503);
    expect(nested.ms).toBeLessThan(REQUEST_TIMEOUT_MS / 5);
    timings['503 nested check_connection ms'] = Math.round(nested.ms);

    const restarted = performance.now();
    config = await startConfig();
    await untilReady();
    timings.configRestartMs = Math.round(performance.now() - restarted);

    const source = await post(url, 'sources/get', { sourceId: ids.source });
    expect(source.status).toBe(200);
    expect(source.body).toMatchObject({
      name: 'dist-faker',
      connectionConfiguration: { count: 10, seed: 7 },
    });
    const destination = await post(url, 'destinations/get', { destinationId: ids.destination });
    expect(destination.body).toMatchObject({
      name: 'dist-json',
      connectionConfiguration: { destination_path: '/local/distributed' },
    });
    const connection = await post(url, 'connections/get', { connectionId: ids.connection });
    expect(connection.body).toMatchObject({ name: 'dist-connection', status: 'active' });
    expect(connection.body.syncSchema.streams).toHaveLength(3);
    const list = await post(url, 'connections/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.body.connections).toHaveLength(1);
    // And it writes again.
    const again = await post(url, 'sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: ids.faker,
      connectionConfiguration: { count: 1 },
      name: 'after-restart',
    });
    expect(again.status).toBe(200);
    const sources = await post(url, 'sources/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(sources.body.sources.map((s: { name: string }) => s.name).sort()).toEqual([
      'after-restart',
      'dist-faker',
    ]);
  }, 60_000);

  it('answers 503 at once when the jobs and runner process is down, and keeps the job history across a restart', async () => {
    const before = await post(url, 'jobs/list', {
      configType: 'check_connection_source',
      configId: ids.source,
    });
    expect(before.body.jobs.length).toBeGreaterThanOrEqual(1);
    await jobs.kill9();
    const check = await post(url, 'sources/check_connection', { sourceId: ids.source });
    expect(check.status, JSON.stringify(check.body)).toBe(503);
    expect(check.ms).toBeLessThan(REQUEST_TIMEOUT_MS / 5);
    const list = await post(url, 'jobs/list', {
      configType: 'check_connection_source',
      configId: ids.source,
    });
    expect(list.status).toBe(503);
    timings['503 jobs down ms'] = Math.round(Math.max(check.ms, list.ms));
    // Readiness names the part that is down: the jobs service (and the runner in its process), not the bus.
    const notReady = await fetch(`${url}/v1/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      ready: false,
      bus: true,
      services: {
        config: { ready: true, eventStore: true, readStore: true },
        jobs: { ready: false, code: 'bus.no_responders' },
        runner: { ready: false },
      },
    });

    jobs = await spawnFerry({ env: { ...env, FERRY_SERVICES: 'jobs,runner' } });
    await untilReady();
    const ready = await fetch(`${url}/v1/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, bus: true, services: { jobs: { ready: true } } });
    const after = await post(url, 'jobs/list', {
      configType: 'check_connection_source',
      configId: ids.source,
    });
    expect(after.body.jobs).toEqual(before.body.jobs);
    const again = await post(url, 'sources/check_connection', { sourceId: ids.source });
    expect(again.body.status).toBe('succeeded');
    const newest = await post(url, 'jobs/list', {
      configType: 'check_connection_source',
      configId: ids.source,
    });
    expect(newest.body.jobs).toHaveLength(before.body.jobs.length + 1);
    expect(newest.body.jobs[0].job.id).toBeGreaterThan(before.body.jobs[0].job.id);
  }, 60_000);

  it('publishes every stored event as plain JSON on ferry.events.> for any NATS client', async () => {
    const client: NatsConnection = await connect({ servers: nats.url, name: 'outside-subscriber' });
    try {
      const seen: {
        subject: string;
        event: { id: string; type: string; streamName: string; data: Record<string, unknown> };
      }[] = [];
      const subscription = client.subscribe('ferry.events.>', {
        callback: (error, message) => {
          if (!error) seen.push({ subject: message.subject, event: message.json() });
        },
      });
      await client.flush();
      const created = await post(url, 'sources/create', {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: ids.faker,
        connectionConfiguration: { count: 2 },
        name: 'observed',
      });
      expect(created.status).toBe(200);
      const sourceId: string = created.body.sourceId;
      const mine = await until('the SourceCreated event', async () =>
        seen.find(
          (m) =>
            m.subject.startsWith('ferry.events.source.') && JSON.stringify(m.event.data).includes(sourceId),
        ),
      );
      expect(mine.subject).toBe(`ferry.events.source.${mine.event.type}`);
      expect(mine.event.type).toMatch(/Created$/);
      expect(mine.event.streamName).toContain(sourceId);
      expect(mine.event.id).toBeTypeOf('string');
      subscription.unsubscribe();
    } finally {
      await client.close();
    }
  });
  it("answers a list of several MB whole over NATS, past the server's 1 MB max payload", async () => {
    const workspaceId = DEFAULT_WORKSPACE_ID;
    const count = 1_500;
    const pad = 'x'.repeat(1_200);
    const names = Array.from({ length: count }, (_, n) => `bulky-${String(n).padStart(4, '0')}-${pad}`);
    for (let start = 0; start < count; start += 25) {
      const batch = names.slice(start, start + 25).map((name) =>
        post(url, 'sources/create', {
          workspaceId,
          sourceDefinitionId: ids.faker,
          connectionConfiguration: { count: 1 },
          name,
        }),
      );
      for (const created of await Promise.all(batch)) expect(created.status).toBe(200);
    }
    const list = await post(url, 'sources/list', { workspaceId });
    expect(list.status).toBe(200);
    const bulky = list.body.sources.filter((s: { name: string }) => s.name.startsWith('bulky-'));
    expect(bulky.map((s: { name: string }) => s.name).sort()).toEqual(names);
    expect(JSON.stringify(list.body).length).toBeGreaterThan(2 * 1024 * 1024);
  }, 120_000);
});
