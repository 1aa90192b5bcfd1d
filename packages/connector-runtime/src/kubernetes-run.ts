import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { readMessages } from '@ferry/protocol';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { ATTACH_GATE_OPEN } from './attach-gate.ts';
import { ConnectorRuntimeError, dockerUnavailable, imageMissing } from './errors.ts';
import { attachToPod } from './kubernetes-attach.ts';
import {
  CONTAINER,
  connectorPod,
  DEFAULT_RESOURCES,
  inputsSecret,
  type PodSettings,
  podState,
} from './kubernetes-pod.ts';
import { forEachLine } from './log-lines.ts';
import type { KubernetesRuntimeOptions } from './kubernetes-runtime.ts';
import type { ConnectorExit, ConnectorInvocation, ConnectorRun, ConnectorRuntime } from './port.ts';
import { supervise } from './supervision.ts';

interface Cluster {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  namespace: string;
  pod: PodSettings;
  startTimeoutMs: number;
}

const POLL_MS = 200;
const PING_TIMEOUT_MS = 2000;

/**
 * (Loaded by kubernetes-runtime.ts on first use: the Kubernetes client costs seconds and tens of MB to load.)
 * Runs every connector command as a Pod of its own with stdin, stdout and stderr attached (attach-gate.ts
 * says why no output is lost), its inputs in a Secret owned by the Pod, `/local` on the volume given. A
 * timeout or cancel ends the Pod through its active deadline (SIGTERM, SIGKILL after the grace period) so
 * that its exit status can still be read; the Pod and the Secret are deleted after every run.
 */
export function kubernetesRuntime(options: KubernetesRuntimeOptions): ConnectorRuntime {
  const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  const cluster: Cluster = {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    namespace: options.namespace ?? context?.namespace ?? 'default',
    pod: {
      local: options.local ?? { emptyDir: true },
      graceSeconds: Math.max(1, Math.ceil((options.killGraceMs ?? 2000) / 1000)),
      resources: options.resources ?? DEFAULT_RESOURCES,
    },
    startTimeoutMs: options.startTimeoutMs ?? 120_000,
  };
  const server = kubeConfig.getCurrentCluster()?.server ?? 'no cluster';
  return {
    describe: () => `kubernetes (namespace ${cluster.namespace} at ${server})`,
    available: () => answers(cluster),
    run: (invocation, signal) => start(cluster, invocation, signal),
  };
}

function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}

async function answers({ core, namespace }: Cluster): Promise<boolean> {
  const listed = core.listNamespacedPod({ namespace, limit: 1 }).then(
    () => true,
    () => false,
  );
  return Promise.race([listed, sleep(PING_TIMEOUT_MS, false)]);
}

/** The API server's failures as the runtime's: unreachable is "unavailable" (503 to callers, retried). */
function mapApiError(error: unknown): unknown {
  if (error instanceof ConnectorRuntimeError || (error as Error)?.name === 'AbortError') return error;
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number') return error; // the API server answered (403, 409, 422, ...)
  return dockerUnavailable(`the Kubernetes API does not answer: ${(error as Error).message}`, error);
}

async function start(
  cluster: Cluster,
  invocation: ConnectorInvocation,
  signal?: AbortSignal,
): Promise<ConnectorRun> {
  signal?.throwIfAborted();
  const { core, namespace } = cluster;
  const name = `ferry-${invocation.command}-${randomUUID().slice(0, 13)}`;
  const pod = await core
    .createNamespacedPod({ namespace, body: connectorPod(name, invocation, cluster.pod) })
    .catch((error: unknown) => {
      throw mapApiError(error);
    });
  try {
    await core.createNamespacedSecret({ namespace, body: inputsSecret(pod, invocation) });
    const state = await untilStarted(cluster, name, invocation.image, signal);
    if (state.state === 'exited') return exitedUnattached(cluster, name, invocation, state.exit);
    const attached = await attachToPod(
      cluster.kubeConfig,
      { namespace, pod: name, container: CONTAINER },
      ATTACH_GATE_OPEN,
    );
    return track(cluster, name, attached, invocation, signal);
  } catch (error) {
    await remove(cluster, name);
    throw mapApiError(error);
  }
}

async function untilStarted(cluster: Cluster, name: string, image: string, signal?: AbortSignal) {
  const deadline = Date.now() + cluster.startTimeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const state = podState(await read(cluster, name));
    if (state.state === 'image_missing') throw imageMissing(image, `to the cluster (${state.detail})`);
    if (state.state !== 'starting') return state;
    if (Date.now() > deadline)
      throw new Error(`pod ${name} did not start within ${cluster.startTimeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

const read = ({ core, namespace }: Cluster, name: string): Promise<V1Pod> =>
  core.readNamespacedPod({ name, namespace });

/** The container has exited: its exit status, read once the kubelet reports it. */
async function exitOf(
  cluster: Cluster,
  name: string,
  reason?: ConnectorExit['reason'],
): Promise<ConnectorExit> {
  for (;;) {
    const state = podState(await read(cluster, name), reason);
    if (state.state === 'exited') return state.exit;
    await sleep(POLL_MS);
  }
}

/**
 * Ends the Pod the way the kubelet ends any Pod past its deadline: SIGTERM, then SIGKILL after
 * terminationGracePeriodSeconds. Unlike a delete, the Pod stays, with its container's exit status.
 */
async function stopPod({ core, namespace }: Cluster, name: string): Promise<void> {
  const body = [{ op: 'add', path: '/spec/activeDeadlineSeconds', value: 1 }];
  await core.patchNamespacedPod(
    { name, namespace, body },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
}

async function remove({ core, namespace }: Cluster, name: string): Promise<void> {
  await Promise.all([
    core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => {}),
    core.deleteNamespacedSecret({ name, namespace }).catch(() => {}),
  ]);
}

function track(
  cluster: Cluster,
  name: string,
  attached: Awaited<ReturnType<typeof attachToPod>>,
  invocation: ConnectorInvocation,
  signal?: AbortSignal,
): ConnectorRun {
  if (invocation.command !== 'write') attached.stdin.end();
  const logged = forEachLine(attached.stderr, invocation.onLog ?? (() => {}));
  const supervision = supervise(
    () => void stopPod(cluster, name).catch(() => {}),
    invocation.timeoutMs,
    signal,
  );
  const exit = (async () => {
    try {
      await attached.closed;
      await logged;
      return await exitOf(cluster, name, supervision.reason);
    } catch (error) {
      throw mapApiError(error);
    } finally {
      supervision.dispose();
      await remove(cluster, name);
    }
  })();
  const messages = readMessages(attached.stdout, { maxLineBytes: invocation.maxLineBytes });
  return { messages, stdin: attached.stdin, exit };
}

/** A connector that ended before the attach (an image that is not Node has no gate): its log, no messages. */
async function exitedUnattached(
  cluster: Cluster,
  name: string,
  invocation: ConnectorInvocation,
  exit: ConnectorExit,
): Promise<ConnectorRun> {
  const { core, namespace } = cluster;
  const log = await core.readNamespacedPodLog({ name, namespace, container: CONTAINER }).catch(() => '');
  await remove(cluster, name);
  invocation.onLog?.(
    `ferry: pod ${name} exited before it could be attached to; its output, stdout and stderr mixed:`,
  );
  for (const line of String(log).split('\n').filter(Boolean)) invocation.onLog?.(line);
  const [stdout, stdin] = [new PassThrough(), new PassThrough()];
  stdout.end();
  stdin.end();
  return { messages: readMessages(stdout), stdin, exit: Promise.resolve(exit) };
}
