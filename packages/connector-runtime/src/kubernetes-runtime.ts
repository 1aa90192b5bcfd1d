import type { KubeConfig, V1ResourceRequirements } from '@kubernetes/client-node';
import type { LocalVolume } from './kubernetes-pod.ts';
import type { ConnectorRuntime } from './port.ts';

export type { LocalVolume } from './kubernetes-pod.ts';

export interface KubernetesRuntimeOptions {
  /** Default: KUBECONFIG, else ~/.kube/config, else the Pod's own service account (in the cluster). */
  kubeConfig?: KubeConfig;
  /** Where connector Pods run. Default: the kubeconfig context's namespace, else `default`. */
  namespace?: string;
  /** What backs the connectors' `/local`. Default: an emptyDir, nothing kept past the run. */
  local?: LocalVolume;
  /** Time between SIGTERM and SIGKILL when a run is stopped (whole seconds in Kubernetes). Default 2 s. */
  killGraceMs?: number;
  /** How long a Pod may take to start (scheduling, image pull). Default 120 s. */
  startTimeoutMs?: number;
  resources?: V1ResourceRequirements;
}

/**
 * `FERRY_CONNECTOR_RUNTIME=kubernetes`: every connector command as a Pod of its own (kubernetes-run.ts).
 * The Kubernetes client is loaded on first use, not at start: it costs seconds and tens of MB, which a
 * process that never runs a connector this way should not pay.
 */
export function createKubernetesRuntime(options: KubernetesRuntimeOptions = {}): ConnectorRuntime {
  let loaded: Promise<ConnectorRuntime> | undefined;
  let ready: ConnectorRuntime | undefined;
  const load = () => {
    loaded ??= import('./kubernetes-run.ts').then((m) => {
      ready = m.kubernetesRuntime(options);
      return ready;
    });
    return loaded;
  };
  return {
    describe: () => ready?.describe() ?? `kubernetes (namespace ${options.namespace ?? 'of the kubeconfig'})`,
    available: async () => (await load()).available(),
    run: async (invocation, signal) => (await load()).run(invocation, signal),
  };
}
