import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKSPACE_ID,
  type FerryProcess,
  health,
  type Json,
  killAllFerries,
  post,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * Issue 3, "Done when", through the HTTP API of the embedded start (`node services/ferry/src/main.ts`, every
 * service in one child process, connectors as local processes), against the machine's real PostgreSQL.
 */
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const suffix = randomBytes(4).toString('hex');
/** A database of our own, so that its `public` schema holds only our table (other suites use `test`). */
const database = `ferry_connectors_${suffix}`;
const table = 'items';
/** Trust auth ignores it, but it is a secret: it must come back masked and never be stored in plain text. */
const password = `pw-${randomBytes(8).toString('hex')}`;

let dir: string;
let ferry: FerryProcess;
let url: string;
const definitions: Record<string, string> = {};
const timings: Record<string, number> = {};
/** Every (configType, configId) a call of this suite should have left a job for. */
const expectedJobs: { configType: string; configId: string; what: string }[] = [];

const admin = async <T>(db: string, work: (client: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ ...PG, database: db });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const pgConfig = (overrides: Record<string, unknown> = {}) => ({
  host: PG.host,
  port: PG.port,
  database,
  username: PG.user,
  password,
  ...overrides,
});

const createSource = async (name: string, connectionConfiguration: Record<string, unknown>) => {
  const res = await post(url, 'sources/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId: definitions['source:Postgres'],
    connectionConfiguration,
    name,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Json;
};

const createDestination = async (definition: string, connectionConfiguration: Record<string, unknown>) =>
  post(url, 'destinations/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    destinationDefinitionId: definitions[`destination:${definition}`],
    connectionConfiguration,
    name: `${definition} ${suffix}`,
  });

beforeAll(async () => {
  await admin('postgres', (c) => c.query(`CREATE DATABASE ${database}`));
  await admin(database, (c) =>
    c.query(`CREATE TABLE public.${table} (id integer PRIMARY KEY, name text NOT NULL, active boolean, price numeric(10,2));
             INSERT INTO public.${table} VALUES (1, 'one', true, 1.50), (2, 'two', false, null)`),
  );
  dir = mkdtempSync(join(tmpdir(), 'ferry-connectors-'));
  const started = performance.now();
  ferry = await spawnFerry({
    env: { FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local'), LOG_LEVEL: 'warn' },
  });
  url = ferry.url!;
  await until('health {db: true}', async () => (await health(url))?.db === true);
  timings.startupMs = Math.round(performance.now() - started);
}, 60_000);

afterAll(async () => {
  await killAllFerries();
  await admin('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(
    () => undefined,
  );
  if (dir) removeWorkDir(dir);
  console.info('connectors timings', timings);
});

describe('built-in connectors through the API', () => {
  it('lists the built-in definitions', async () => {
    const sources = await post(url, 'source_definitions/list');
    const destinations = await post(url, 'destination_definitions/list');
    for (const d of sources.body.sourceDefinitions) definitions[`source:${d.name}`] = d.sourceDefinitionId;
    for (const d of destinations.body.destinationDefinitions)
      definitions[`destination:${d.name}`] = d.destinationDefinitionId;
    expect(Object.keys(definitions).sort()).toEqual(
      expect.arrayContaining([
        'source:Faker',
        'source:File',
        'source:Postgres',
        'destination:Local CSV',
        'destination:Local JSON',
        'destination:Postgres',
      ]),
    );
    const postgres = sources.body.sourceDefinitions.find((d: Json) => d.name === 'Postgres');
    expect(postgres).toMatchObject({
      dockerRepository: 'ferry/source-postgres',
      dockerImageTag: expect.any(String),
    });
  });

  it('serves the Postgres source spec with the password marked secret (a get_spec job)', async () => {
    const res = await post(url, 'source_definition_specifications/get', {
      sourceDefinitionId: definitions['source:Postgres'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const spec = res.body.connectionSpecification;
    expect(spec.required).toEqual(expect.arrayContaining(['host', 'port', 'database', 'username']));
    expect(spec.properties.password.airbyte_secret).toBe(true);
    expect(res.body.documentationUrl).toMatch(/postgres/);
    expectedJobs.push({
      configType: 'get_spec',
      configId: 'ferry/source-postgres:0.1.0',
      what: 'Postgres spec',
    });
  });

  let sourceId: string;

  it('checks a Postgres source against a real database: succeeded', async () => {
    const source = await createSource(`pg ${suffix}`, pgConfig());
    sourceId = source.sourceId;
    expect(source.connectionConfiguration.password).toBe('**********');
    const started = performance.now();
    const check = await post(url, 'sources/check_connection', { sourceId });
    timings.postgresCheckMs = Math.round(performance.now() - started);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.status, JSON.stringify(check.body)).toBe('succeeded');
    expectedJobs.push({ configType: 'check_connection_source', configId: sourceId, what: 'Postgres check' });
  });

  // This PostgreSQL trusts every local connection, so a wrong password is accepted: a credential it does
  // refuse is an unknown database or an unknown user, which is what these two checks use.
  it.each([
    ['an unknown database', { database: `ferry_no_such_db_${suffix}` }, /database|exist/i],
    ['an unknown user', { username: `ferry_no_such_user_${suffix}` }, /role|user|exist|auth/i],
  ])('checks a Postgres source with %s: failed, with a message', async (what, overrides, pattern) => {
    const source = await createSource(`pg bad ${what} ${suffix}`, pgConfig(overrides));
    const check = await post(url, 'sources/check_connection', { sourceId: source.sourceId });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.status).toBe('failed');
    expect(check.body.message).toMatch(pattern);
    expect(check.body.message).not.toContain(password);
    expectedJobs.push({
      configType: 'check_connection_source',
      configId: source.sourceId,
      what: `failed check (${what})`,
    });
  });

  it('discovers public.<table> with its columns mapped to API data types', async () => {
    const started = performance.now();
    const res = await post(url, 'sources/discover_schema', { sourceId });
    timings.postgresDiscoverMs = Math.round(performance.now() - started);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stream = res.body.schema.streams.find((s: Json) => s.name === `public.${table}`);
    expect(stream, JSON.stringify(res.body.schema.streams.map((s: Json) => s.name))).toBeDefined();
    expect(stream.cleanedName).toBe(`public_${table}`);
    expect(stream.supportedSyncModes).toEqual(expect.arrayContaining(['full_refresh']));
    const types = Object.fromEntries(stream.fields.map((f: Json) => [f.name, f.dataType]));
    expect(types).toEqual({ id: 'number', name: 'string', active: 'boolean', price: 'number' });
    for (const field of stream.fields)
      expect(field).toMatchObject({ cleanedName: field.name, selected: true });
    expectedJobs.push({ configType: 'discover_schema', configId: sourceId, what: 'Postgres discover' });
  });

  it.each([
    ['Local CSV', { destination_path: '/local/csv' }],
    ['Local JSON', { destination_path: '/local/json' }],
    [
      'Postgres',
      { host: PG.host, port: PG.port, database, username: PG.user, password, schema: `ferry_raw_${suffix}` },
    ],
  ])('checks a %s destination: succeeded', async (definition, connectionConfiguration) => {
    const created = await createDestination(definition, connectionConfiguration);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const destinationId: string = created.body.destinationId;
    const check = await post(url, 'destinations/check_connection', { destinationId });
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(check.body.status, JSON.stringify(check.body)).toBe('succeeded');
    expectedJobs.push({
      configType: 'check_connection_destination',
      configId: destinationId,
      what: `${definition} check`,
    });
  });

  it('refuses a Local CSV destination whose destination_path is not under /local (422 at create)', async () => {
    for (const destination_path of ['/tmp/elsewhere', '/localhost/x', 'local/x']) {
      const res = await createDestination('Local CSV', { destination_path });
      expect(res.status, `${destination_path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.validationErrors.map((e: Json) => e.propertyPath).join(' ')).toMatch(
        /destination_path/,
      );
    }
    const list = await post(url, 'destinations/list', { workspaceId: DEFAULT_WORKSPACE_ID });
    expect(list.body.destinations.map((d: Json) => d.connectionConfiguration.destination_path)).not.toContain(
      '/tmp/elsewhere',
    );
  });

  it('left a job with attempts and a log for every connector call', async () => {
    expect(expectedJobs.length).toBe(8);
    for (const { configType, configId, what } of expectedJobs) {
      const list = await post(url, 'jobs/list', { configType, configId });
      expect(list.status, what).toBe(200);
      expect(list.body.jobs.length, `${what}: a job`).toBeGreaterThanOrEqual(1);
      const [newest] = list.body.jobs;
      // A connector that answers FAILED still ran fine: the job succeeded, the check's status is `failed`.
      expect(newest.job, what).toMatchObject({ configType, configId, status: 'succeeded' });
      expect(newest.attempts.length, `${what}: attempts`).toBeGreaterThanOrEqual(1);
      expect(newest.attempts[0], what).toMatchObject({
        id: 0,
        status: 'succeeded',
        endedAt: expect.any(Number),
      });
      const job = await post(url, 'jobs/get', { id: newest.job.id });
      expect(job.status, what).toBe(200);
      const lines: string[] = job.body.attempts[0].logs.logLines;
      expect(lines.length, `${what}: log lines`).toBeGreaterThan(0);
      expect(lines.join('\n'), `${what}: no secret in the log`).not.toContain(password);
    }
  });

  it('never stores the secret in plain text (event log, read models, attempt logs)', () => {
    const files = (path: string): string[] =>
      statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => files(join(path, name))) : [path];
    const leaking = files(join(dir, 'data')).filter((file) => readFileSync(file).includes(password));
    expect(leaking).toEqual([]);
  });
});
