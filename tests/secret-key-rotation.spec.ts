import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { createSqliteEventStore } from '@ferry/event-store-sqlite';
import { parseKeys } from '@ferry/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCalls } from './support/api-calls.ts';
import { peopleSchema, peopleSource } from './support/people-schema.ts';
import {
  DEFAULT_WORKSPACE_ID,
  type FerryProcess,
  killAllFerries,
  repoRoot,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * Issue 8, item 6: `ferry rotate-secret-key` while Ferry runs over NATS, the runner in a process of its
 * own, both following the keyring file of their shared data directory.
 */
const SOURCES = 4;
const people = peopleSchema('ferry_rotation');
let nats: NatsServer;
let dir: string;
let env: Record<string, string>;
let url: string;
let processes: FerryProcess[] = [];
const sources: string[] = [];
const connections: string[] = [];
const keys: { a?: string; b?: string } = {};

const keyFile = () => join(env.FERRY_DATA_DIR!, 'secret.key');
const keyring = () => parseKeys(readFileSync(keyFile(), 'utf8'));

const { ok, definitionId } = apiCalls(() => url);
const createSource = async (n: number) => {
  const connectionConfiguration = peopleSource(people.schema, `pw-${n}-${randomBytes(8).toString('hex')}`);
  const sourceDefinitionId = await definitionId('source', 'Postgres');
  const body = {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId,
    connectionConfiguration,
    name: `pg ${n}`,
  };
  sources.push((await ok('sources/create', body)).sourceId);
};
const checkAll = async () =>
  Promise.all(sources.map(async (sourceId) => (await ok('sources/check_connection', { sourceId })).status));
const syncAll = async () =>
  Promise.all(
    connections.map(async (connectionId) => {
      const info = await ok('connections/sync', { connectionId }, { Prefer: 'wait=60' });
      return `${info.job.status} ${info.attempts.at(-1).attempt.recordsSynced}`;
    }),
  );

/** Ferry as a user runs it over NATS: the runner apart from the rest. */
const startFerry = async (extra: Record<string, string> = {}) => {
  processes = await Promise.all([
    spawnFerry({ env: { ...env, ...extra, FERRY_SERVICES: 'gateway,config,jobs,audit' } }),
    spawnFerry({ env: { ...env, ...extra, FERRY_SERVICES: 'runner' } }),
  ]);
  url = processes[0]!.url!;
  await until('every service', async () => (await fetch(`${url}/v1/ready`)).ok, 30_000);
};

const rotate = () =>
  new Promise<{ code: number; out: string }>((done) => {
    const cli = resolve(repoRoot, 'services/ferry/src/cli.ts');
    const childEnv = { PATH: process.env.PATH ?? '', FERRY_DATA_DIR: env.FERRY_DATA_DIR!, LOG_LEVEL: 'warn' };
    execFile(
      process.execPath,
      [cli, 'rotate-secret-key'],
      { env: childEnv, timeout: 60_000 },
      (e, out, err) => done({ code: e ? Number(e.code ?? 1) : 0, out: `${out}${err}` }),
    );
  });

beforeAll(async () => {
  await people.create();
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'ferry-rotation-'));
  env = { NATS_URL: nats.url, FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local') };
  await startFerry();
}, 60_000);

afterAll(async () => {
  await killAllFerries();
  await nats?.stop();
  await people.drop();
  if (dir) removeWorkDir(dir);
});

describe('rotating the secret key while Ferry runs', () => {
  it('seals sources under key A, with one connection each', async () => {
    for (let n = 0; n < SOURCES; n++) await createSource(n);
    const { schema: catalog } = await ok('sources/discover_schema', { sourceId: sources[0] });
    const streams = catalog.streams.filter((s: { name: string }) => s.name === people.stream);
    const destinationDefinitionId = await definitionId('destination', 'Local CSV');
    for (const [n, sourceId] of sources.entries()) {
      const configuration = { destination_path: `/local/rotation-${n}` };
      const destination = await ok('destinations/create', {
        ...{ workspaceId: DEFAULT_WORKSPACE_ID, destinationDefinitionId, name: `csv ${n}` },
        connectionConfiguration: configuration,
      });
      const { destinationId } = destination;
      const body = {
        sourceId,
        destinationId,
        syncMode: 'full_refresh',
        status: 'active',
        syncSchema: { streams },
      };
      connections.push((await ok('connections/create', body)).connectionId);
    }
    expect(keyring()).toHaveLength(1);
    keys.a = keyring()[0]!.id;
  });

  it('rotates to key B; every check made while it runs succeeds', async () => {
    const rotation = rotate();
    let rotating = true;
    void rotation.finally(() => {
      rotating = false;
    });
    const statuses: string[] = [];
    while (rotating) statuses.push(...(await checkAll()));
    const { code, out } = await rotation;
    console.info(`${statuses.length} checks while the rotation ran; it said:\n${out}`);
    expect(code, out).toBe(0);
    expect(statuses.length).toBeGreaterThanOrEqual(SOURCES);
    expect(new Set(statuses)).toEqual(new Set(['succeeded']));
    const ring = keyring().map((k) => k.id);
    expect(ring).toHaveLength(1);
    keys.b = ring[0]!;
    expect(keys.b).not.toBe(keys.a);
    expect(out).toContain(`new key ${keys.b} is current`);
    expect(out).toMatch(new RegExp(`re-sealed ${SOURCES} of ${2 * SOURCES} sources and destinations`));
    expect(out).toContain(`retired ${keys.a}`);
  });

  it('afterwards every source checks and every connection syncs; a new source seals under B', async () => {
    expect(new Set(await checkAll())).toEqual(new Set(['succeeded']));
    expect(await syncAll()).toEqual(connections.map(() => 'succeeded 5'));
    await createSource(SOURCES);
  });

  it('stored events written since the rotation carry B’s key id only', async () => {
    const store = createSqliteEventStore({ file: join(env.FERRY_DATA_DIR!, 'events.sqlite') });
    const events = await store.readAll({ limit: 100_000 });
    await store.close();
    const sealedUnder = (e: (typeof events)[number]) =>
      [...JSON.stringify(e.data).matchAll(/"_ferry_sealed":"v2:([0-9a-f]+):/g)].map((m) => m[1]);
    const resealed = events.filter((e) => e.type === 'ActorSecretsResealed');
    expect(resealed).toHaveLength(SOURCES);
    expect(new Set(resealed.map((e) => e.metadata.actor))).toEqual(new Set(['system:key-rotation']));
    const since = resealed[0]!.position;
    const keysSince = events.filter((e) => e.position >= since).flatMap(sealedUnder);
    expect(keysSince.length).toBeGreaterThan(SOURCES); // the re-sealed ones and the source created after
    expect(new Set(keysSince)).toEqual(new Set([keys.b]));
    // History keeps what was written before: sealed under A, which nothing opens any more.
    expect(new Set(events.filter((e) => e.position < since).flatMap(sealedUnder))).toEqual(new Set([keys.a]));
  });

  it('a Ferry that never had key A reads every source and syncs', async () => {
    await Promise.all(processes.map((p) => p.stop()));
    const onlyB = readFileSync(keyFile(), 'utf8').trim();
    await startFerry({ FERRY_SECRET_KEY: onlyB });
    expect(await checkAll()).toEqual(sources.map(() => 'succeeded'));
    expect(await syncAll()).toEqual(connections.map(() => 'succeeded 5'));
  });
});
