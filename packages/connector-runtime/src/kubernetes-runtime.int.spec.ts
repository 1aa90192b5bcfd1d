import { chmod } from 'node:fs/promises';
import { describe } from 'vitest';
import { connectorRuntimeContract } from './contract-suite.ts';
import { createKubernetesRuntime } from './kubernetes-runtime.ts';

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
  console.warn('kubernetes-runtime.int.spec: KUBECONFIG is not set, SKIPPING the contract against a cluster');

describe.skipIf(!kubeconfig)('kubernetes runtime', () => {
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
    process.env.FERRY_TEST_KUBERNETES_IMAGE ?? 'ferry/fixture-connector:test',
  );
});
