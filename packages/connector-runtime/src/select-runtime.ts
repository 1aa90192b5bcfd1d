import { dockerUnavailable } from './errors.ts';
import type { ConnectorInvocation, ConnectorRuntime } from './port.ts';

/**
 * `FERRY_CONNECTOR_RUNTIME`: where built-in connectors run. Other images always need Docker.
 * - `process` (default): built-ins as local processes;
 * - `docker`: built-ins on Docker too (their images come from scripts/build-images.sh);
 * - `auto`: built-ins on Docker when an engine answers, else as processes;
 * - `kubernetes`: every image as a Pod of its own (kubernetes-runtime.ts), Docker not used.
 */
export type RuntimePreference = 'process' | 'docker' | 'auto' | 'kubernetes';

const PREFERENCES: readonly RuntimePreference[] = ['process', 'docker', 'auto', 'kubernetes'];

export function parseRuntimePreference(value: string | undefined): RuntimePreference {
  if (value === undefined || value === '') return 'process';
  if ((PREFERENCES as readonly string[]).includes(value)) return value as RuntimePreference;
  throw new Error(`FERRY_CONNECTOR_RUNTIME must be one of ${PREFERENCES.join(', ')}, not "${value}"`);
}

export interface SelectingRuntimeOptions {
  preference: RuntimePreference;
  /** The process runtime, for built-in images. */
  process: ConnectorRuntime;
  /** The Docker runtime, for everything else (and built-ins when preferred); absent when not configured. */
  docker?: ConnectorRuntime;
  /** The Kubernetes runtime, for every image when preferred. */
  kubernetes?: ConnectorRuntime;
  /** Whether `image` (`repository:tag`) is a built-in connector the process runtime can run. */
  isBuiltIn: (image: string) => boolean;
}

/**
 * One runtime that picks, per image, the one that runs it. Failing to find one is a ConnectorRuntimeError:
 * `runtime.docker_unavailable` when Docker is needed and does not answer (503), `runtime.image_missing`
 * when the engine lacks the image (422).
 */
export function createSelectingRuntime(options: SelectingRuntimeOptions): ConnectorRuntime {
  const { preference, process: processRuntime, docker, kubernetes, isBuiltIn } = options;
  if (preference === 'kubernetes') {
    if (!kubernetes)
      throw new Error('FERRY_CONNECTOR_RUNTIME=kubernetes, but no Kubernetes runtime is configured');
    return kubernetes;
  }
  const dockerAnswers = async () => (docker ? docker.available() : false);
  const choose = async (invocation: ConnectorInvocation): Promise<ConnectorRuntime> => {
    const wantsDocker = !isBuiltIn(invocation.image) || preference === 'docker';
    if (!wantsDocker && preference === 'process') return processRuntime;
    if (docker && (await dockerAnswers())) return docker;
    if (!wantsDocker) return processRuntime; // auto, without an engine
    throw dockerUnavailable(
      docker ? `${docker.describe()} does not answer` : 'no Docker runtime is configured',
    );
  };
  const dockerPart = docker?.describe() ?? 'no Docker runtime';
  const builtIns = {
    process: processRuntime.describe(),
    docker: dockerPart,
    auto: `${dockerPart} when it answers, else ${processRuntime.describe()}`,
  }[preference];
  return {
    describe: () => `built-in connectors: ${builtIns}; other images: ${dockerPart}`,
    available: async () => (preference === 'docker' ? dockerAnswers() : true),
    run: async (invocation, signal) => (await choose(invocation)).run(invocation, signal),
    close: async () => {
      await processRuntime.close?.();
    },
  };
}
