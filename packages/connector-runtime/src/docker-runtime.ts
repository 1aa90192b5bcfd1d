import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { LOCAL_MOUNT, localRoot, readMessages } from '@ferry/protocol';
import type Docker from 'dockerode';
import { demux } from './demux.ts';
import {
  exitOf,
  mapDockerError,
  pullImage,
  RUN_LABEL,
  removeContainer,
  signalContainer,
} from './docker-container.ts';
import { ConnectorRuntimeError } from './errors.ts';
import { type InvocationFiles, writeInvocationFiles } from './invocation-files.ts';
import { forEachLine } from './log-lines.ts';
import type { ConnectorInvocation, ConnectorRun, ConnectorRuntime } from './port.ts';
import { supervise } from './supervision.ts';

export interface DockerRuntimeOptions {
  /** How to reach the engine (dockerode options). Default: DOCKER_HOST, else /var/run/docker.sock. */
  docker?: Docker.DockerOptions;
  /** Network mode of connector containers: `none` (default), `host`, or a network's name. */
  network?: string;
  /** Host directory mounted at the connectors' `/local`. Default: env LOCAL_ROOT or /tmp/airbyte_local. */
  localRoot?: string;
  /** Time between SIGTERM and SIGKILL when a run is stopped. Default 2 s. */
  killGraceMs?: number;
  /** Pull an image the engine lacks. Default false: images are built locally, registries may be unreachable. */
  pullMissing?: boolean;
}

interface Settings {
  network: string;
  localRoot: string;
  killGraceMs: number;
  pullMissing: boolean;
}

/** Where the run's private files appear inside the container (read-only). */
const CONFIG_MOUNT = '/config';
const PING_TIMEOUT_MS = 2000;

/**
 * Runs connectors as containers with `docker run -i --rm` semantics: stdin attached, files and the local root
 * mounted, the container removed afterwards whatever happened. An init process (tini) is PID 1, so signals
 * reach the connector and its children are reaped; stopping the container ends every process in it.
 */
export function createDockerRuntime(options: DockerRuntimeOptions = {}): ConnectorRuntime {
  // dockerode (with its gRPC and SSH dependencies, some 200 modules) loads on first use, not at start: an
  // embedded Ferry that runs its connectors as processes never needs it.
  let client: Promise<Docker> | undefined;
  const docker = () => {
    client ??= import('dockerode').then(({ default: Dockerode }) => new Dockerode(options.docker));
    return client;
  };
  const settings: Settings = {
    network: options.network ?? 'none',
    localRoot: path.resolve(options.localRoot ?? localRoot()),
    killGraceMs: options.killGraceMs ?? 2000,
    pullMissing: options.pullMissing ?? false,
  };
  const engine =
    options.docker?.host ?? options.docker?.socketPath ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  return {
    describe: () => `docker (${engine}, network ${settings.network})`,
    available: async () => answers(await docker()),
    run: async (invocation, signal) => start(await docker(), settings, invocation, signal),
  };
}

async function answers(docker: Docker): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  const ping = docker.ping().then(
    () => true,
    () => false,
  );
  return Promise.race([ping, late]).finally(() => clearTimeout(timer));
}

async function start(
  docker: Docker,
  settings: Settings,
  invocation: ConnectorInvocation,
  signal?: AbortSignal,
): Promise<ConnectorRun> {
  signal?.throwIfAborted();
  await mkdir(settings.localRoot, { recursive: true });
  const files = await writeInvocationFiles(invocation);
  let container: Docker.Container | undefined;
  try {
    container = await create(docker, settings, invocation, files);
    // Attached before it starts, as `docker run` does, so no early output is lost.
    const stream = await container.attach({
      stream: true,
      hijack: true,
      stdin: true,
      stdout: true,
      stderr: true,
    });
    await container.start();
    return track(
      container,
      stream as NodeJS.ReadWriteStream & AsyncIterable<Buffer>,
      files,
      invocation,
      settings,
      signal,
    );
  } catch (err) {
    if (container) await removeContainer(container).catch(() => {});
    await files.remove();
    throw mapDockerError(err, invocation.image);
  }
}

async function create(
  docker: Docker,
  settings: Settings,
  invocation: ConnectorInvocation,
  files: InvocationFiles,
): Promise<Docker.Container> {
  const env = { LOCAL_ROOT: LOCAL_MOUNT, ...invocation.env };
  const spec: Docker.ContainerCreateOptions = {
    Image: invocation.image,
    Cmd: files.args(CONFIG_MOUNT),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true, // ending our side of stdin closes the container's: end of input for `write`
    Labels: { [RUN_LABEL]: invocation.command },
    HostConfig: {
      Binds: [`${files.dir}:${CONFIG_MOUNT}:ro`, `${settings.localRoot}:${LOCAL_MOUNT}`],
      NetworkMode: settings.network,
      Init: true,
    },
  };
  try {
    return await docker.createContainer(spec);
  } catch (err) {
    const mapped = mapDockerError(err, invocation.image);
    const missing = mapped instanceof ConnectorRuntimeError && mapped.code === 'runtime.image_missing';
    if (!missing || !settings.pullMissing) throw err;
    await pullImage(docker, invocation.image);
    return docker.createContainer(spec);
  }
}

function track(
  container: Docker.Container,
  stream: NodeJS.ReadWriteStream & AsyncIterable<Buffer>,
  files: InvocationFiles,
  invocation: ConnectorInvocation,
  settings: Settings,
  signal?: AbortSignal,
): ConnectorRun {
  const [stdin, stdout, stderr] = [new PassThrough(), new PassThrough(), new PassThrough()];
  const demuxed = demux(stream, stdout, stderr).catch(() => {}); // a broken connection ends the outputs early
  stdin.pipe(stream); // ending stdin half-closes the connection, which Docker passes on as EOF
  stream.on('close', () => stdin.destroy()); // writes to a container that is gone fail, as an EPIPE would
  if (invocation.command !== 'write') stdin.end();
  const logged = forEachLine(stderr, invocation.onLog ?? (() => {}));
  let killer: NodeJS.Timeout | undefined;
  const stop = () => {
    signalContainer(container, 'SIGTERM').catch(() => {});
    killer = setTimeout(() => signalContainer(container, 'SIGKILL').catch(() => {}), settings.killGraceMs);
  };
  const supervision = supervise(stop, invocation.timeoutMs, signal);
  const exit = (async () => {
    try {
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      await demuxed;
      await logged;
      return exitOf(StatusCode, supervision.reason);
    } catch (err) {
      throw mapDockerError(err, invocation.image);
    } finally {
      clearTimeout(killer);
      supervision.dispose();
      await Promise.all([removeContainer(container).catch(() => {}), files.remove()]);
    }
  })();
  return { messages: readMessages(stdout, { maxLineBytes: invocation.maxLineBytes }), stdin, exit };
}
