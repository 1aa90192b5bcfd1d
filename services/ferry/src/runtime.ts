import {
  createDockerRuntime,
  createProcessRuntime,
  createSelectingRuntime,
  type ConnectorRuntime,
} from '@ferry/connector-runtime';
import { builtInEntryPoints } from './catalog.ts';
import type { Settings } from './settings.ts';

/** Built-in images run as processes unless Docker is asked for; any other image needs a Docker engine. */
export const connectorRuntime = (settings: Settings): ConnectorRuntime =>
  createSelectingRuntime({
    preference: settings.FERRY_CONNECTOR_RUNTIME,
    process: createProcessRuntime({ entryPoints: builtInEntryPoints, localRoot: settings.LOCAL_ROOT }),
    docker: createDockerRuntime({ network: settings.FERRY_DOCKER_NETWORK, localRoot: settings.LOCAL_ROOT }),
    isBuiltIn: (image) => image in builtInEntryPoints,
  });
