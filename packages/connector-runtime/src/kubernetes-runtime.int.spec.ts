import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandInCluster, startStandInCluster } from '../test/stand-in-cluster.ts';
import { connectorRuntimeContract } from './contract-suite.ts';
import { createKubernetesRuntime } from './kubernetes-runtime.ts';

const FIXTURE_IMAGE = 'ferry/fixture-connector:test';
const fixture = fileURLToPath(new URL('../test/fixtures/connector.ts', import.meta.url));

/**
 * The runtime contract against a real cluster, when KUBECONFIG names one. No cluster can run where Ferry is
 * built (no registry, no kubelet), so CI skips this; run it by hand against e.g. kind or k3s on this machine:
 * - the fixture image (test/fixtures/Dockerfile, built by docker-runtime.int.spec.ts as
 *   ferry/fixture-connector:test) loaded into the cluster (`kind load docker-image`, `k3s ctr images import`),
 *   or FERRY_TEST_KUBERNETES_IMAGE naming it in a registry the cluster pulls from;
 * - the node must see this machine's temporary directory at the same path (the suite watches files the
 *   connector writes under /local, a hostPath): kind with an extraMount of /tmp, k3s or minikube --driver=none;
 * - FERRY_TEST_KUBERNETES_NAMESPACE (default: the kubeconfig's) where the tests may create Pods and Secrets.
 */
const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig)
  console.warn(
    'kubernetes-runtime.int.spec: KUBECONFIG is not set, SKIPPING the contract against a real cluster',
  );

describe.skipIf(!kubeconfig)('kubernetes runtime on a real cluster', () => {
  connectorRuntimeContract(
    'kubernetes',
    async ({ localRoot, killGraceMs }) => {
      await chmod(localRoot, 0o777); // the connector runs as uid 10001
      return createKubernetesRuntime({
        namespace: process.env.FERRY_TEST_KUBERNETES_NAMESPACE,
        local: { hostPath: localRoot },
        killGraceMs,
      });
    },
    process.env.FERRY_TEST_KUBERNETES_IMAGE ?? FIXTURE_IMAGE,
    { unreadInputMessages: 1_000_000 },
  );
});

/**
 * The same contract against test/stand-in-cluster.ts, which is NOT Kubernetes: it answers the runtime's API
 * calls and runs each Pod as a local process. It proves the runtime's own code, not what it assumes of
 * Kubernetes (the stand-in lists those assumptions).
 */
describe('kubernetes runtime against a stand-in API server', () => {
  let cluster: StandInCluster;
  beforeAll(async () => {
    cluster = await startStandInCluster({ [FIXTURE_IMAGE]: fixture });
  });
  afterAll(() => cluster?.close());

  connectorRuntimeContract(
    'kubernetes (stand-in)',
    ({ localRoot, killGraceMs }) =>
      createKubernetesRuntime({
        kubeConfig: cluster.kubeConfig,
        local: { hostPath: localRoot },
        killGraceMs,
      }),
    FIXTURE_IMAGE,
    { unreadInputMessages: 1_000_000 },
  );

  it('deletes every Pod and Secret it made', () => {
    expect(cluster.objects()).toEqual({ pods: [], secrets: [] });
  });
});
