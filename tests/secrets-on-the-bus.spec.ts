import { randomBytes } from 'node:crypto';
import { type FSWatcher, mkdirSync, mkdtempSync, readdirSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsServer, startNatsServer } from '@ferry/bus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCalls } from './support/api-calls.ts';
import { type BusRecorder, recordEverything } from './support/bus-recorder.ts';
import { peopleSchema, peopleSource } from './support/people-schema.ts';
import {
  DEFAULT_WORKSPACE_ID,
  killAllFerries,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * Issue 8, "sealed until the runner": the services as separate processes over a nats-server of this test's
 * own, and a plain NATS client subscribed to `>` while a PostgreSQL source is created, checked, discovered,
 * updated and synced. Its password may cross the bus only in the client's own create and update requests.
 */
const PASSWORD = `pw-${randomBytes(24).toString('base64url')}`;
const CLIENT_REQUESTS = new Set(['ferry.v1.sources.create', 'ferry.v1.sources.update']);
const people = peopleSchema('ferry_sealed');

let nats: NatsServer;
let dir: string;
/** The runner's TMPDIR: where its runtime writes each connector's private configuration file. */
let runnerTmp: string;
let url: string;
let bus: BusRecorder;
let watcher: FSWatcher;
const configDirsMade = new Set<string>();
const ids: Record<string, string> = {};

const source = (name: string) => ({ name, connectionConfiguration: peopleSource(people.schema, PASSWORD) });

/** The run's private directories (`ferry-run-*`) that are still there. */
const configDirsLeft = () => readdirSync(runnerTmp).filter((n) => n.startsWith('ferry-run-'));

// A command is over when it answers: its connector's configuration file must be gone by then.
const { ok, definitionId } = apiCalls(
  () => url,
  (path) => expect(configDirsLeft(), `config files left after ${path}`).toEqual([]),
);

beforeAll(async () => {
  await people.create();
  nats = await startNatsServer();
  dir = mkdtempSync(join(tmpdir(), 'ferry-sealed-'));
  runnerTmp = join(dir, 'runner-tmp');
  mkdirSync(runnerTmp);
  watcher = watch(runnerTmp, (_, name) => name?.startsWith('ferry-run-') && configDirsMade.add(name));
  const env = { NATS_URL: nats.url, FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local') };
  const [gateway] = await Promise.all([
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'gateway' } }),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'config' } }),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'jobs' } }),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'runner', TMPDIR: runnerTmp } }),
    spawnFerry({ env: { ...env, FERRY_SERVICES: 'audit' } }),
  ]);
  url = gateway.url!;
  await until(
    'every service',
    async () => (await fetch(`${url}/v1/ready`, { signal: AbortSignal.timeout(2_000) })).ok,
    30_000,
  );
  bus = await recordEverything(nats.url);
}, 60_000);

afterAll(async () => {
  watcher?.close();
  await bus?.close();
  await killAllFerries();
  await nats?.stop();
  await people.drop();
  if (dir) removeWorkDir(dir);
});

describe('secrets stay sealed on the bus until the runner', () => {
  it('creates, checks, discovers, updates and syncs a PostgreSQL source', async () => {
    const created = await ok('sources/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId: await definitionId('source', 'Postgres'),
      ...source('sealed pg'),
    });
    ids.source = created.sourceId;
    expect(created.connectionConfiguration.password).toBe('**********');
    expect((await ok('sources/check_connection', { sourceId: ids.source })).status).toBe('succeeded');
    const { schema: catalog } = await ok('sources/discover_schema', { sourceId: ids.source });
    await ok('sources/update', { sourceId: ids.source, ...source('sealed pg, renamed') });
    expect((await ok('sources/check_connection', { sourceId: ids.source })).status).toBe('succeeded');
    const destination = await ok('destinations/create', {
      workspaceId: DEFAULT_WORKSPACE_ID,
      destinationDefinitionId: await definitionId('destination', 'Local CSV'),
      connectionConfiguration: { destination_path: '/local/sealed' },
      name: 'sealed csv',
    });
    const streams = catalog.streams.filter((s: { name: string }) => s.name === people.stream);
    const connection = await ok('connections/create', {
      sourceId: ids.source,
      destinationId: destination.destinationId,
      syncMode: 'full_refresh',
      status: 'active',
      syncSchema: { streams },
    });
    const synced = await ok(
      'connections/sync',
      { connectionId: connection.connectionId },
      { Prefer: 'wait=60' },
    );
    expect(synced.job.status).toBe('succeeded');
    expect(synced.attempts[0].attempt.recordsSynced).toBe(5);
    ids.syncJob = String(synced.job.id);
    // The audit relay publishes stored events a little later: wait for the sync's last one.
    await until('the sync job events on ferry.events.>', async () =>
      bus.holding(`"jobId":${ids.syncJob}`).some((m) => m.subject === 'ferry.events.job.AttemptSucceeded'),
    );
  });

  it('the password crossed the bus only in the client’s own create and update requests', () => {
    const messages = bus.messages();
    const holding = bus.holding(PASSWORD);
    const where = holding.map((m) => m.subject);
    console.info(
      `saw ${messages.length} messages (${bus.chunked()} chunks) on ${new Set(messages.map((m) => m.subject)).size} subjects; the password in ${where.length}: ${where.join(', ')}`,
    );
    expect(where.filter((s) => !CLIENT_REQUESTS.has(s))).toEqual([]);
    expect(where.sort()).toEqual(['ferry.v1.sources.create', 'ferry.v1.sources.update']);
    // What the runner was sent, and the configuration replies, carry the secret sealed.
    const sealed = bus.holding('"_ferry_sealed":"v2:').map((m) => m.subject);
    for (const subject of ['ferry.internal.runner.command', 'ferry.internal.runner.sync'])
      expect(sealed).toContain(subject);
    expect(sealed.some((s) => s.startsWith('_INBOX.'))).toBe(true);
    expect(sealed.some((s) => s.startsWith('ferry.events.source.'))).toBe(true);
  });

  it('wrote each connector’s configuration file in a private directory and removed it when the command ended', () => {
    // spec, check ×2, discover and the sync's read and write at least
    expect(configDirsMade.size).toBeGreaterThanOrEqual(5);
    expect(configDirsLeft()).toEqual([]);
  });
});
