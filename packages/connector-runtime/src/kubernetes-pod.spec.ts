import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ATTACH_GATE_ENV } from './attach-gate.ts';
import { connectorPod, DEFAULT_RESOURCES, inputsSecret, podState } from './kubernetes-pod.ts';

const settings = { local: { claimName: 'ferry-local' }, graceSeconds: 2, resources: DEFAULT_RESOURCES };
const invocation = {
  image: 'ferry/source-faker:0.1.0',
  command: 'read' as const,
  config: { count: 3 },
  catalog: { streams: [] },
  env: { EXTRA: 'yes' },
};

describe('the Pod of a connector command', () => {
  const pod = connectorPod('ferry-read-1', invocation, settings);
  const container = pod.spec?.containers[0];

  it('runs the image with the inputs as files under /config, stdin open for one attach', () => {
    expect(container).toMatchObject({
      image: 'ferry/source-faker:0.1.0',
      args: ['read', '--config', '/config/config.json', '--catalog', '/config/catalog.json'],
      stdin: true,
      stdinOnce: true,
      tty: false,
    });
    expect(pod.spec?.restartPolicy).toBe('Never');
    expect(pod.spec?.volumes?.find((v) => v.name === 'inputs')?.secret?.secretName).toBe('ferry-read-1');
  });

  it('waits for the attach (the gate), sees /local, and gets the invocation environment', () => {
    expect(container?.env).toEqual([
      { name: 'NODE_OPTIONS', value: ATTACH_GATE_ENV.NODE_OPTIONS },
      { name: 'LOCAL_ROOT', value: '/local' },
      { name: 'EXTRA', value: 'yes' },
    ]);
    expect(pod.spec?.volumes?.find((v) => v.name === 'local')).toEqual({
      name: 'local',
      persistentVolumeClaim: { claimName: 'ferry-local' },
    });
    const onNode = connectorPod('p', invocation, { ...settings, local: { hostPath: '/srv/local' } });
    expect(onNode.spec?.volumes?.find((v) => v.name === 'local')?.hostPath).toEqual({
      path: '/srv/local',
      type: 'Directory',
    });
  });

  it('is locked down: non-root, read-only, no privilege escalation, no capabilities, no API token', () => {
    expect(pod.spec).toMatchObject({
      automountServiceAccountToken: false,
      shareProcessNamespace: true,
      terminationGracePeriodSeconds: 2,
      securityContext: { runAsNonRoot: true, runAsUser: 10001 },
    });
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.metadata?.labels).toMatchObject({ 'app.kubernetes.io/component': 'connector' });
  });

  it('has its inputs in a Secret the Pod owns, so deleting the Pod deletes them', () => {
    const created = { ...pod, metadata: { ...pod.metadata, uid: 'uid-1' } };
    const secret = inputsSecret(created, invocation);
    expect(secret.stringData).toEqual({ 'config.json': '{"count":3}', 'catalog.json': '{"streams":[]}' });
    expect(secret.metadata?.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'ferry-read-1', uid: 'uid-1' },
    ]);
  });
});

const withContainer = (state: object): V1Pod => ({
  status: {
    containerStatuses: [{ name: 'connector', state, image: 'i', imageID: '', ready: false, restartCount: 0 }],
  },
});

describe('a Pod status read as the run state', () => {
  it('tells starting, running and exited apart, exit codes as the other runtimes report them', () => {
    expect(podState({ status: {} })).toEqual({ state: 'starting' });
    expect(podState(withContainer({ running: {} }))).toEqual({ state: 'running' });
    expect(podState(withContainer({ terminated: { exitCode: 3 } }))).toEqual({
      state: 'exited',
      exit: { code: 3, signal: null },
    });
    expect(podState(withContainer({ terminated: { exitCode: 137 } }), 'timeout')).toEqual({
      state: 'exited',
      exit: { code: null, signal: 'SIGKILL', reason: 'timeout' },
    });
  });

  it('says the image is missing when the kubelet cannot pull it', () => {
    const pulling = withContainer({ waiting: { reason: 'ImagePullBackOff', message: 'not found' } });
    expect(podState(pulling)).toEqual({ state: 'image_missing', detail: 'ImagePullBackOff: not found' });
    expect(podState(withContainer({ waiting: { reason: 'ContainerCreating' } }))).toEqual({
      state: 'starting',
    });
  });
});
