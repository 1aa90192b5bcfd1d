import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakerIntoLocalJson, filesIn, httpApi, ok, untilJobEnds } from './support/jobs.ts';
import { health, repoRoot, until } from './support/processes.ts';

/**
 * Issue 13: the Ferry image (deploy/Dockerfile) as a user runs it: embedded mode, read-only root filesystem,
 * a non-root user, connectors as processes inside the container, a sync into a mounted volume, and a stop
 * with SIGTERM that Ferry answers by itself. Needs a Docker engine (`.ci/run` starts one).
 */
const IMAGE = `ferry/ferry:${JSON.parse(readFileSync(join(repoRoot, 'services/ferry/package.json'), 'utf8')).version}`;
const dockerAnswers = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
if (!dockerAnswers)
  console.warn(
    'image.spec: no Docker engine answers, SKIPPING the image smoke test (scripts/docker-engine.sh)',
  );

const run = promisify(execFile);
const docker = async (...args: string[]) =>
  (await run('docker', args, { maxBuffer: 16 << 20 })).stdout.trim();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** A host folder the container's uid 10001 may write to. */
const sharedFolder = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
};

describe.skipIf(!dockerAnswers)('the Ferry image', () => {
  const name = `ferry-image-test-${process.pid}`;
  const data = sharedFolder('ferry-image-data-');
  const local = sharedFolder('ferry-image-local-');
  let url: string;

  beforeAll(async () => {
    // Idempotent: a no-op when .ci/run already built the image from these sources.
    await run('bash', [join(repoRoot, 'scripts/build-images.sh'), 'ferry'], { timeout: 600_000 });
    const port = await freePort();
    url = `http://127.0.0.1:${port}/api`;
    // This engine has no bridge network: host networking, on a port of our own.
    await docker(
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--user',
      '10001:10001',
      '--volume',
      `${data}:/data`,
      '--volume',
      `${local}:/local`,
      '--env',
      `FERRY_PORT=${port}`,
      '--env',
      'FERRY_HOST=127.0.0.1',
      '--env',
      'FERRY_CONNECTOR_RUNTIME=process',
      '--env',
      'LOG_LEVEL=warn',
      '--health-interval',
      '1s',
      '--health-start-period',
      '30s',
      IMAGE,
    );
    await until('the container to answer /v1/health', () => health(url), 60_000, 250);
  }, 660_000);

  afterAll(async () => {
    if (!dockerAnswers) return;
    await run('docker', ['rm', '--force', name]).catch(() => {});
    // The container's files belong to uid 10001; as another non-root user some may stay behind in /tmp.
    for (const dir of [data, local]) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as a non-root user and reports healthy through its HEALTHCHECK', async () => {
    expect(await docker('image', 'inspect', '--format', '{{.Config.User}}', IMAGE)).toBe('10001:10001');
    const healthy = await until(
      'the HEALTHCHECK to report healthy',
      async () => (await docker('inspect', '--format', '{{.State.Health.Status}}', name)) === 'healthy',
      30_000,
      500,
    );
    expect(healthy).toBe(true);
  });

  it('syncs Faker into Local JSON on the mounted volume, connectors running inside the container', async () => {
    const api = httpApi(url);
    const { connectionId } = await fakerIntoLocalJson(api, 250, 'image-smoke');
    const started = await ok(api, 'connections/sync', { connectionId });
    const info = await untilJobEnds(api, started.job.id, 60_000);
    expect(info.job.status).toBe('succeeded');
    expect(info.attempts.at(-1).attempt.recordsSynced).toBe(250);
    const written = filesIn(join(local, 'image-smoke'));
    expect(written.length).toBeGreaterThan(0);
    const lines = written.flatMap((file) =>
      readFileSync(join(local, 'image-smoke', file), 'utf8')
        .split('\n')
        .filter(Boolean),
    );
    expect(lines).toHaveLength(250);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ _airbyte_data: expect.any(Object) });
    // The stores landed on the data volume, not in the (read-only) image.
    expect(filesIn(data)).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite']));
  }, 90_000);

  it('stops on SIGTERM by itself, well before docker stop would SIGKILL it', async () => {
    const started = performance.now();
    await docker('stop', '--time', '5', name);
    const seconds = (performance.now() - started) / 1000;
    const [exitCode, oomKilled] = (
      await docker('inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', name)
    ).split(' ');
    console.info(`image.spec: docker stop took ${seconds.toFixed(2)} s, exit code ${exitCode}`);
    // 137 would be the SIGKILL docker stop sends after 5 s: Ferry must have exited on its own before.
    expect(['0', '143']).toContain(exitCode);
    expect(oomKilled).toBe('false');
  }, 30_000);
});
