import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerAnswers, ensureFixtureImage, FIXTURE_IMAGE } from '../test/fixture-image.ts';
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
