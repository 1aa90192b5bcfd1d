import { LOCAL_MOUNT } from '@ferry/protocol';
import type {
  V1ContainerStatus,
  V1Pod,
  V1ResourceRequirements,
  V1Secret,
  V1Volume,
} from '@kubernetes/client-node';
import { ATTACH_GATE_ENV } from './attach-gate.ts';
import { exitOf, RUN_LABEL } from './docker-container.ts';
import { inputArgs, presentInputs } from './invocation-files.ts';
import type { ConnectorExit, ConnectorInvocation } from './port.ts';

/** Where the run's input files appear in the Pod (a Secret volume, read-only). */
export const CONFIG_MOUNT = '/config';
export const CONTAINER = 'connector';

/** What backs the connectors' `/local`: a PersistentVolumeClaim, a directory of the node, or nothing kept. */
export type LocalVolume = { claimName: string } | { hostPath: string } | { emptyDir: true };

export interface PodSettings {
  local: LocalVolume;
  /** Seconds between SIGTERM and SIGKILL when a run is stopped. */
  graceSeconds: number;
  resources: V1ResourceRequirements;
}

export const DEFAULT_RESOURCES: V1ResourceRequirements = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

const volumeOf = (local: LocalVolume): V1Volume => {
  if ('claimName' in local) return { name: 'local', persistentVolumeClaim: { claimName: local.claimName } };
  if ('hostPath' in local) return { name: 'local', hostPath: { path: local.hostPath, type: 'Directory' } };
  return { name: 'local', emptyDir: {} };
};

/**
 * The Pod of one connector command: `docker run -i --rm` as Kubernetes spells it. stdin stays open for one
 * attach (`stdinOnce`, so ending ours is the connector's end of input); the pause container is PID 1
 * (`shareProcessNamespace`), so SIGTERM reaches the connector and what it leaves behind is reaped; it runs
 * as the image's non-root user 10001 on a read-only root filesystem, with its inputs in the Secret `name`.
 */
export function connectorPod(name: string, invocation: ConnectorInvocation, settings: PodSettings): V1Pod {
  const env = { ...ATTACH_GATE_ENV, LOCAL_ROOT: LOCAL_MOUNT, ...invocation.env };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/part-of': 'ferry',
        'app.kubernetes.io/component': 'connector',
        [RUN_LABEL]: invocation.command,
      },
    },
    spec: {
      restartPolicy: 'Never',
      shareProcessNamespace: true,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: settings.graceSeconds,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: CONTAINER,
          image: invocation.image,
          imagePullPolicy: 'IfNotPresent',
          args: inputArgs(invocation, CONFIG_MOUNT),
          env: Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
          stdin: true,
          stdinOnce: true,
          tty: false,
          resources: settings.resources,
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'inputs', mountPath: CONFIG_MOUNT, readOnly: true },
            { name: 'local', mountPath: LOCAL_MOUNT },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'inputs', secret: { secretName: name, defaultMode: 0o440 } },
        volumeOf(settings.local),
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ],
    },
  };
}

/** The run's inputs as a Secret owned by its Pod: deleting the Pod deletes them. */
export function inputsSecret(pod: V1Pod, invocation: ConnectorInvocation): V1Secret {
  const meta = pod.metadata ?? {};
  const stringData = Object.fromEntries(
    presentInputs(invocation).map((input) => [`${input}.json`, JSON.stringify(invocation[input])]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: meta.name,
      labels: meta.labels,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Pod', name: meta.name as string, uid: meta.uid as string },
      ],
    },
    type: 'Opaque',
    stringData,
  };
}

/** Reasons a container waits that no waiting will cure: the image cannot be had. */
const IMAGE_PROBLEMS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

export type PodState =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'exited'; exit: ConnectorExit }
  | { state: 'image_missing'; detail: string };

/** Where the connector container of `pod` is, from its status. */
export function podState(pod: V1Pod, reason?: ConnectorExit['reason']): PodState {
  const status: V1ContainerStatus | undefined = pod.status?.containerStatuses?.find(
    (c) => c.name === CONTAINER,
  );
  const terminated = status?.state?.terminated;
  // 128 + n is the container's main process ended by signal n (137: SIGKILL), as Docker reports it too.
  if (terminated) return { state: 'exited', exit: exitOf(terminated.exitCode, reason) };
  const waiting = status?.state?.waiting;
  if (waiting?.reason && IMAGE_PROBLEMS.has(waiting.reason))
    return { state: 'image_missing', detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim() };
  if (status?.state?.running) return { state: 'running' };
  return { state: 'starting' };
}
