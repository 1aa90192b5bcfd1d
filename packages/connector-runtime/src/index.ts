export type {
  ConnectorCommand,
  ConnectorExit,
  ConnectorInvocation,
  ConnectorRun,
  ConnectorRuntime,
} from './port.ts';
export { ConnectorRuntimeError, type ConnectorRuntimeErrorCode } from './errors.ts';
export { createProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.ts';
export { createDockerRuntime, type DockerRuntimeOptions } from './docker-runtime.ts';
export {
  createKubernetesRuntime,
  type KubernetesRuntimeOptions,
  type LocalVolume,
} from './kubernetes-runtime.ts';
export {
  createSelectingRuntime,
  parseRuntimePreference,
  type RuntimePreference,
  type SelectingRuntimeOptions,
} from './select-runtime.ts';
