import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  localPostgresSource,
  startTestFerry,
  type TestFerry,
} from './support/ferry.ts';

/**
 * Issue "Syncs that move data", through the HTTP API on the embedded system: a PostgreSQL table into
 * Local CSV, full refresh and incremental, reset, one job under concurrent syncs, cancel.
 */
const schema = `ferry_sync_${process.pid}_${Date.now()}`;
const db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
let ferry: TestFerry;

const csvRows = (ferryLocal: string, dir: string) => {
  const folder = join(ferryLocal, dir);
  const file = readdirSync(folder).find((f) => f.endsWith('.csv'));
  if (!file) return [];
  return readFileSync(join(folder, file), 'utf8').trim().split('\n').slice(1).filter(Boolean);
};

const createPair = async (dir: string) => {
  const source = await ferry.post('/v1/sources/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Postgres'),
    connectionConfiguration: localPostgresSource(schema),
    name: `pg ${dir}`,
  });
  const destination = await ferry.post('/v1/destinations/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    destinationDefinitionId: await definitionIdByName(ferry, 'destination', 'Local CSV'),
    connectionConfiguration: { destination_path: `/local/${dir}` },
    name: `csv ${dir}`,
  });
  expect(source.status, source.text).toBe(200);
  expect(destination.status, destination.text).toBe(200);
  return {
    sourceId: source.json.sourceId as string,
    destinationId: destination.json.destinationId as string,
  };
};

/** Discover, then choose the people stream with the given mode (as a user does in the web app). */
const connect = async (dir: string, syncMode: 'full_refresh' | 'incremental') => {
  const { sourceId, destinationId } = await createPair(dir);
  const discovered = await ferry.post('/v1/sources/discover_schema', { sourceId });
  expect(discovered.status, discovered.text).toBe(200);
  const streams = discovered.json.schema.streams
    .filter((s: { name: string }) => s.name === `${schema}.people`)
    .map((s: Record<string, unknown>) => ({
      ...s,
      syncMode,
      cursorField: syncMode === 'incremental' ? ['updated_at'] : [],
    }));
  expect(streams).toHaveLength(1);
  const created = await ferry.post('/v1/connections/create', {
    sourceId,
    destinationId,
    syncMode,
    status: 'active',
    syncSchema: { streams },
  });
  expect(created.status, created.text).toBe(200);
  return created.json.connectionId as string;
};

const syncAndWait = async (connectionId: string, path = '/v1/connections/sync') => {
  const answer = await ferry.post(path, { connectionId }, { Prefer: 'wait=60' });
  expect(answer.status, answer.text).toBe(200);
  return answer.json;
};

beforeAll(async () => {
  await db.connect();
  await db.query(`create schema ${schema}`);
  await db.query(`create table ${schema}.people (id int primary key, name text, updated_at int)`);
  await db.query(`insert into ${schema}.people select i, 'person ' || i, i from generate_series(1, 5) i`);
  ferry = await startTestFerry({ FERRY_SYNC_HEARTBEAT_MS: '300', FERRY_SYNC_BACKOFF_MS: '200' });
}, 60_000);

afterAll(async () => {
  await ferry?.stop();
  await db.query(`drop schema if exists ${schema} cascade`);
  await db.end();
});

// Each connector call starts a process, or a container in the docker variant, which took 2 s and more each
// in a loaded CI run: a sync and its checks then passed vitest's default 30 s.
describe('syncs through the API', { timeout: 120_000 }, () => {
  it('full refresh writes exactly the rows, with records counted on the attempt', async () => {
    const connectionId = await connect('full', 'full_refresh');
    const info = await syncAndWait(connectionId);
    expect(info.job.status).toBe('succeeded');
    expect(info.job.configType).toBe('sync');
    expect(info.attempts[0].attempt.recordsSynced).toBe(5);
    expect(info.attempts[0].attempt.bytesSynced).toBeGreaterThan(0);
    expect(info.attempts[0].logs.logLines.length).toBeGreaterThan(0);
    expect(csvRows(ferry.localRoot, 'full')).toHaveLength(5);
    // A second full refresh replaces, it does not append.
    expect((await syncAndWait(connectionId)).job.status).toBe('succeeded');
    expect(csvRows(ferry.localRoot, 'full')).toHaveLength(5);
  });

  it('incremental appends only rows past the cursor; reset empties and the next sync starts over', async () => {
    const connectionId = await connect('incremental', 'incremental');
    expect((await syncAndWait(connectionId)).job.status).toBe('succeeded');
    expect(csvRows(ferry.localRoot, 'incremental')).toHaveLength(5);
    await db.query(`insert into ${schema}.people values (6, 'six', 6), (7, 'seven', 7)`);
    await db.query(`update ${schema}.people set name = 'renamed' where id = 1`); // the cursor does not move
    const second = await syncAndWait(connectionId);
    expect(second.job.status).toBe('succeeded');
    expect(second.attempts[0].attempt.recordsSynced).toBe(2);
    expect(csvRows(ferry.localRoot, 'incremental')).toHaveLength(7);

    const reset = await syncAndWait(connectionId, '/v1/connections/reset');
    expect(reset.job.configType).toBe('reset_connection');
    expect(reset.job.status).toBe('succeeded');
    expect(csvRows(ferry.localRoot, 'incremental')).toHaveLength(0);
    const resets = await ferry.post('/v1/jobs/list', {
      configType: 'reset_connection',
      configId: connectionId,
    });
    expect(resets.json.jobs).toHaveLength(1);

    const fresh = await syncAndWait(connectionId);
    expect(fresh.attempts[0].attempt.recordsSynced).toBe(7);
    expect(csvRows(ferry.localRoot, 'incremental')).toHaveLength(7);
  });

  it('concurrent sync calls create one job', async () => {
    const connectionId = await connect('concurrent', 'full_refresh');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => ferry.post('/v1/connections/sync', { connectionId })),
    );
    expect(
      answers.map((a) => a.status),
      answers.map((a) => a.text).join('\n'),
    ).toEqual(answers.map(() => 200));
    const ids = new Set(answers.map((a) => a.json.job.id));
    expect(ids.size).toBe(1);
    const listed = await ferry.post('/v1/jobs/list', { configType: 'sync', configId: connectionId });
    expect(listed.json.jobs).toHaveLength(1);
  });

  it('an inactive connection cannot sync (422); an unknown one is 404', async () => {
    const connectionId = await connect('inactive', 'full_refresh');
    const current = await ferry.post('/v1/connections/get', { connectionId });
    await ferry.post('/v1/connections/update', {
      connectionId,
      syncSchema: current.json.syncSchema,
      status: 'inactive',
      schedule: null,
    });
    expect((await ferry.post('/v1/connections/sync', { connectionId })).status).toBe(422);
    expect(
      (await ferry.post('/v1/connections/sync', { connectionId: '00000000-0000-4000-8000-000000000000' }))
        .status,
    ).toBe(404);
  });

  it('an Idempotency-Key returns the first answer', async () => {
    const connectionId = await connect('idempotent', 'full_refresh');
    const first = await syncAndWait(connectionId);
    const again = await ferry.post('/v1/connections/sync', { connectionId }, { 'Idempotency-Key': 'once' });
    const repeated = await ferry.post(
      '/v1/connections/sync',
      { connectionId },
      { 'Idempotency-Key': 'once', Prefer: 'wait=30' },
    );
    expect(again.json.job.id).not.toBe(first.job.id);
    expect(repeated.json.job.id).toBe(again.json.job.id);
  });
});
