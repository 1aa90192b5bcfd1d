import { constants } from 'node:os';
import type Docker from 'dockerode';
import { dockerUnavailable, imageMissing } from './errors.ts';
import type { ConnectorExit } from './port.ts';

/** Every container a run creates carries this label, so leftovers can be found (and tests can prove none are). */
export const RUN_LABEL = 'io.ferry.connector-run';

type DockerFailure = Error & { statusCode?: number; code?: string };

/** Turns dockerode's failures into the runtime's coded errors where one applies. */
export function mapDockerError(err: unknown, image: string): unknown {
  const failure = err as DockerFailure;
  if (failure?.statusCode === 404 && /no such image/i.test(failure.message))
    return imageMissing(image, 'on the Docker engine');
  const unreachable = ['ECONNREFUSED', 'ENOENT', 'EACCES', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'];
  if (failure?.code && unreachable.includes(failure.code)) return dockerUnavailable(failure.message, err);
  return err;
}

/** Pulls `image`, for engines that can reach a registry; failures read as a missing image. */
export async function pullImage(docker: Docker, image: string): Promise<void> {
  try {
    const progress = await docker.pull(image);
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(progress, (e) => (e ? reject(e) : resolve(e))),
    );
  } catch (err) {
    const mapped = mapDockerError(err, image);
    if (mapped !== err) throw mapped;
    throw Object.assign(imageMissing(image, 'on the Docker engine, and pulling it failed'), { cause: err });
  }
}

/** Sends `signal` unless the container has stopped or gone already (409/404 are that, not failures). */
export async function signalContainer(container: Docker.Container, signal: NodeJS.Signals): Promise<void> {
  try {
    await container.kill({ signal });
  } catch (err) {
    const status = (err as DockerFailure).statusCode;
    if (status !== 404 && status !== 409) throw err;
  }
}

export async function removeContainer(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true });
  } catch (err) {
    const status = (err as DockerFailure).statusCode;
    // 409: removal already in progress; 404: already gone. Anything else leaves a container behind: say so.
    if (status !== 404 && status !== 409) throw err;
  }
}

/**
 * Docker reports a container ended by a signal as 128 + its number (the shell convention); report it as the
 * process runtime does, as a signal with no code.
 */
export function exitOf(statusCode: number, reason?: ConnectorExit['reason']): ConnectorExit {
  const signal =
    statusCode > 128 ? Object.entries(constants.signals).find(([, n]) => n === statusCode - 128) : undefined;
  const exit: ConnectorExit = signal ? { code: null, signal: signal[0] } : { code: statusCode, signal: null };
  return reason ? { ...exit, reason } : exit;
}
