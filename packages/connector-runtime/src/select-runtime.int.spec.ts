import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordData, runToEnd } from './contract-helpers.ts';
import { createDockerRuntime } from './docker-runtime.ts';
import { createProcessRuntime } from './process-runtime.ts';
import { createSelectingRuntime, parseRuntimePreference, type RuntimePreference } from './select-runtime.ts';

const BUILT_IN = 'ferry/fixture-connector:test';
const fixture = fileURLToPath(new URL('../test/fixtures/connector.ts', import.meta.url));
const entryPoints = { [BUILT_IN]: fixture };
const processRuntime = createProcessRuntime({ entryPoints });
// An engine that never answers: what a machine without Docker looks like.
const absentDocker = createDockerRuntime({ docker: { socketPath: '/nonexistent/docker.sock' } });

const selecting = (preference: RuntimePreference) =>
  createSelectingRuntime({
    preference,
    process: processRuntime,
    docker: absentDocker,
    isBuiltIn: (i) => i in entryPoints,
  });

describe('runtime selection without a Docker engine', () => {
  it.each(['process', 'auto'] as const)('%s: runs a built-in connector as a process', async (preference) => {
    const outcome = await runToEnd(selecting(preference), {
      image: BUILT_IN,
      command: 'read',
      config: { mode: 'env' },
    });
    expect(recordData(outcome)).toHaveLength(1);
    expect(outcome.exit.code).toBe(0);
  });

  it('docker: refuses a built-in connector with runtime.docker_unavailable', async () => {
    const runtime = selecting('docker');
    expect(await runtime.available()).toBe(false);
    await expect(runtime.run({ image: BUILT_IN, command: 'spec' })).rejects.toMatchObject({
      code: 'runtime.docker_unavailable',
    });
  });

  it.each(['process', 'auto', 'docker'] as const)('%s: any other image needs Docker', async (preference) => {
    const run = selecting(preference).run({ image: 'airbyte/source-pokeapi:0.1.0', command: 'spec' });
    await expect(run).rejects.toMatchObject({
      name: 'ConnectorRuntimeError',
      code: 'runtime.docker_unavailable',
    });
  });

  it('says which runtime runs what', () => {
    expect(selecting('auto').describe()).toMatch(
      /built-in connectors: docker .* when it answers, else process/,
    );
  });
});

describe('parseRuntimePreference', () => {
  it('defaults to process and accepts the four values', () => {
    expect(parseRuntimePreference(undefined)).toBe('process');
    const values = ['docker', 'process', 'auto', 'kubernetes'];
    expect(values.map(parseRuntimePreference)).toEqual(values);
  });

  it('rejects anything else, naming the setting', () => {
    expect(() => parseRuntimePreference('podman')).toThrow(/FERRY_CONNECTOR_RUNTIME/);
  });
});

describe('runtime selection: kubernetes', () => {
  it('runs every image, built-in or not, on the Kubernetes runtime, and refuses to start without one', () => {
    const pods = {
      describe: () => 'pods',
      available: async () => true,
      run: async () => expect.fail('not run'),
    };
    const selected = createSelectingRuntime({
      preference: 'kubernetes',
      process: processRuntime,
      kubernetes: pods,
      isBuiltIn: () => true,
    });
    expect(selected).toBe(pods);
    expect(() =>
      createSelectingRuntime({ preference: 'kubernetes', process: processRuntime, isBuiltIn: () => true }),
    ).toThrow(/no Kubernetes runtime/);
  });
});
