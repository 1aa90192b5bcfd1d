import { readdirSync, watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerAnswers, ensureFixtureImage, FIXTURE_IMAGE } from '../test/fixture-image.ts';
import { runToEnd } from './contract-helpers.ts';
import { connectorRuntimeContract } from './contract-suite.ts';
import { RUN_LABEL } from './docker-container.ts';
import { createDockerRuntime } from './docker-runtime.ts';

const docker = new Docker();
const reachable = await dockerAnswers(docker);
if (!reachable) {
  console.warn(
    'docker-runtime.int.spec: no Docker engine answers, skipping its tests (scripts/docker-engine.sh starts one)',
  );
}

describe.skipIf(!reachable)('docker runtime', () => {
  connectorRuntimeContract(
    'docker',
    async ({ localRoot, killGraceMs }) => {
      await ensureFixtureImage(docker);
      return createDockerRuntime({ localRoot, killGraceMs });
    },
    FIXTURE_IMAGE,
  );

  it('pulls a missing image only when asked, and says runtime.image_missing when that fails', async () => {
    const runtime = createDockerRuntime({ pullMissing: true });
    const error = await runtime
      .run({ image: 'ferry/no-such-connector:0.0.0', command: 'spec' })
      .catch((e) => e);
    expect(error).toMatchObject({
      code: 'runtime.image_missing',
      message: expect.stringMatching(/pulling it failed/),
    });
  });

  it("removes the run's private configuration files when it ends, succeeded or failed", async () => {
    // Its own TMPDIR, read when a run starts: other suites' runs, in other processes, make their files elsewhere.
    const own = await mkdtemp(path.join(tmpdir(), 'ferry-docker-files-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = own;
    const made = new Set<string>();
    const watcher = watch(own, (_, name) => name && made.add(name));
    try {
      const runtime = createDockerRuntime();
      const config = (mode: string) => ({ image: FIXTURE_IMAGE, command: 'read' as const, config: { mode } });
      expect((await runToEnd(runtime, config('inputs'))).exit.code).toBe(0);
      expect((await runToEnd(runtime, config('exit'))).exit.code).not.toBe(0);
      expect(made.size).toBeGreaterThanOrEqual(2);
      expect(readdirSync(own)).toEqual([]);
    } finally {
      watcher.close();
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(own, { recursive: true, force: true });
    }
  });

  it('leaves no container behind', async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
    expect(left).toEqual([]);
  });
});

describe('docker runtime without an engine', () => {
  const runtime = createDockerRuntime({ docker: { socketPath: '/nonexistent/docker.sock' } });

  it('is not available and says runtime.docker_unavailable', async () => {
    expect(await runtime.available()).toBe(false);
    await expect(runtime.run({ image: FIXTURE_IMAGE, command: 'spec' })).rejects.toMatchObject({
      name: 'ConnectorRuntimeError',
      code: 'runtime.docker_unavailable',
    });
  });
});
