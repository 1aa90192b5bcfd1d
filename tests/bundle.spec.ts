import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakerIntoLocalJson, httpApi, ok, untilJobEnds, WORKSPACE_ID } from './support/jobs.ts';
import {
  type FerryProcess,
  health,
  killAllFerries,
  post,
  repoRoot,
  spawnFerry,
  until,
  removeWorkDir,
} from './support/processes.ts';

/**
 * `npm start` as a fresh clone runs it (`bash scripts/ferry start`, ADR 0016): it builds the server's bundle
 * (into a directory of this suite's own, FERRY_BUNDLE_DIR) and starts it, embedded, on a fresh data
 * directory; a second start finds the bundle up to date; and when the bundle cannot be built, the
 * unbundled main.ts serves instead. Connectors still run as processes from their own sources, and the
 * SQLite log writer's thread from its own file.
 */
const NPM_START: [string, ...string[]] = ['bash', join(repoRoot, 'scripts/ferry'), 'start'];

let dir: string;
let bundleDir: string;

const startFerry = (env: Record<string, string>) =>
  spawnFerry({
    command: NPM_START,
    env: { FERRY_DATA_DIR: join(dir, 'data'), LOCAL_ROOT: join(dir, 'local'), ...env },
    timeoutMs: 240_000,
  });

const healthy = async (ferry: FerryProcess) => {
  await until('health {db: true}', async () => (await health(ferry.url!))?.db === true, 30_000);
};

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-bundle-'));
  bundleDir = join(dir, 'bundle');
});

afterAll(async () => {
  await killAllFerries();
  removeWorkDir(dir);
});

describe('npm start from the bundle', () => {
  let ferry: FerryProcess;
  let sourceId: string;

  it('builds the bundle, starts it on a fresh data directory, and is healthy', async () => {
    ferry = await startFerry({ FERRY_BUNDLE_DIR: bundleDir });
    await healthy(ferry);
    expect(ferry.output()).toMatch(/server bundle built in \d+ ms/);
    // scripts/ferry execs node: the process serving is the bundle's entry point, not main.ts.
    expect(commandLine(ferry.pid)).toContain(join(bundleDir, 'main.js'));
    // With the Node flags of services/ferry/node-flags (ADR 0023), before the entry point.
    const flags = readFileSync(join(repoRoot, 'services/ferry/node-flags'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(flags).toEqual(expect.arrayContaining(['--max-semi-space-size=4', '--heap-growing-percent=30']));
    expect(commandLine(ferry.pid)).toContain(`node ${flags.join(' ')} ${join(bundleDir, 'main.js')}`);
  }, 300_000);

  it("keeps the lazy adapters out of the bundle, and bundles the log writer's thread", () => {
    const bundle = readFileSync(join(bundleDir, 'start.js'), 'utf8');
    for (const lazy of [
      'dockerode/lib/docker.js',
      'packages/bus/src/nats.ts',
      'packages/event-store-postgres/src',
    ])
      expect(bundle).toContain(lazy);
    // esbuild heads each bundled module with a comment naming its path: none of these is bundled.
    expect(bundle).not.toMatch(/^\/\/ node_modules\/\.pnpm\/(dockerode|nats|pg|mongodb)@/m);
    expect(bundle).not.toMatch(/^\/\/ packages\/bus\/src\/nats\.ts$/m);
    // The SQLite log writer's thread runs from the bundle's own file, plain JavaScript.
    expect(bundle).toContain('new URL("./commit-worker.js", import.meta.url)');
    expect(readFileSync(join(bundleDir, 'commit-worker.js'), 'utf8')).toContain('parentPort');
  });

  it('answers calls: creates, lists, gets, and 422 and 404 for bad input', async () => {
    const api = httpApi(ferry.url!);
    const definitions = await ok(api, 'source_definitions/list');
    const faker = definitions.sourceDefinitions.find((d: { name: string }) => d.name === 'Faker');
    const created = await ok(api, 'sources/create', {
      workspaceId: WORKSPACE_ID,
      sourceDefinitionId: faker.sourceDefinitionId,
      connectionConfiguration: { count: 3 },
      name: 'from the bundle',
    });
    sourceId = created.sourceId;
    const listed = await ok(api, 'sources/list', { workspaceId: WORKSPACE_ID });
    expect(listed.sources.map((s: { sourceId: string }) => s.sourceId)).toContain(sourceId);
    expect(await ok(api, 'sources/get', { sourceId })).toMatchObject({ name: 'from the bundle' });

    const invalid = await post(ferry.url!, 'sources/create', { workspaceId: WORKSPACE_ID, name: 'x' });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.body)).toContain('sourceDefinitionId');
    const unknown = await post(ferry.url!, 'connections/get', {
      connectionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
  });

  it('syncs with connectors run as processes from their sources', async () => {
    const api = httpApi(ferry.url!);
    const { connectionId } = await fakerIntoLocalJson(api, 25, 'bundled');
    expect(await ok(api, 'connections/get', { connectionId })).toMatchObject({
      connectionId,
      status: 'active',
    });
    const { job } = await ok(api, 'connections/sync', { connectionId });
    const info = await untilJobEnds(api, job.id, 60_000);
    expect(info.job.status).toBe('succeeded');
    expect(info.attempts.at(-1).attempt.recordsSynced).toBe(25);
  }, 90_000);

  it('serves the API documentation and the web console from their own files', async () => {
    const origin = new URL(ferry.url!).origin;
    const css = await fetch(`${origin}/api/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await fetch(`${ferry.url}/v1/openapi.json`)).status).toBe(200);
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
  });

  it('restarts on its data directory without rebuilding the bundle', async () => {
    await ferry.stop();
    ferry = await startFerry({ FERRY_BUNDLE_DIR: bundleDir });
    await healthy(ferry);
    expect(ferry.output()).not.toMatch(/server bundle built/);
    expect(await ok(httpApi(ferry.url!), 'sources/get', { sourceId })).toMatchObject({ sourceId });
    await ferry.stop();
  }, 120_000);
});

describe('npm start without a bundle', () => {
  it('starts the unbundled main.ts when the bundle cannot be built, and says so', async () => {
    // A file where the bundle's directory should be: the build cannot write it.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const ferry = await startFerry({
      FERRY_BUNDLE_DIR: join(blocked, 'bundle'),
      FERRY_DATA_DIR: join(dir, 'other'),
    });
    await healthy(ferry);
    expect(ferry.output()).toContain('the server bundle could not be built');
    expect(commandLine(ferry.pid)).toContain('services/ferry/src/main.ts');
    const definitions = await ok(httpApi(ferry.url!), 'destination_definitions/list');
    expect(definitions.destinationDefinitions.length).toBeGreaterThan(0);
    await ferry.stop();
  }, 300_000);
});
