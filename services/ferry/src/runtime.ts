import {
  createDockerRuntime,
  createKubernetesRuntime,
  createProcessRuntime,
  createSelectingRuntime,
  type ConnectorRuntime,
} from '@ferry/connector-runtime';
import { builtInEntryPoints } from './catalog.ts';
import type { Settings } from './settings.ts';

/**
 * Built-in images run as processes unless Docker is asked for; any other image needs a Docker engine. With
 * FERRY_CONNECTOR_RUNTIME=kubernetes every image runs as a Pod (the client loads on first use). A built-in
 * image that has run keeps a process started ahead for its next run (ADR 0027): they all wait at
 * `runConnector`'s gate. FERRY_CONNECTORS_STARTED_AHEAD=false turns that off.
 */
export const connectorRuntime = (settings: Settings): ConnectorRuntime =>
  createSelectingRuntime({
    preference: settings.FERRY_CONNECTOR_RUNTIME,
    process: createProcessRuntime({
      entryPoints: builtInEntryPoints,
      localRoot: settings.LOCAL_ROOT,
      warm: settings.FERRY_CONNECTORS_STARTED_AHEAD,
    }),
    docker: createDockerRuntime({ network: settings.FERRY_DOCKER_NETWORK, localRoot: settings.LOCAL_ROOT }),
    kubernetes:
      settings.FERRY_CONNECTOR_RUNTIME === 'kubernetes'
        ? createKubernetesRuntime({
            namespace: settings.FERRY_KUBERNETES_NAMESPACE,
            local: settings.FERRY_KUBERNETES_LOCAL_CLAIM
              ? { claimName: settings.FERRY_KUBERNETES_LOCAL_CLAIM }
              : { emptyDir: true },
          })
        : undefined,
    isBuiltIn: (image) => image in builtInEntryPoints,
  });
