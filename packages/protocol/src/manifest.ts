/**
 * What a built-in connector package tells the config service, which seeds its definitions from these, and the
 * process runtime, which runs `entryPoint` with this machine's Node when no Docker engine answers.
 */
export interface ConnectorManifest {
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl: string;
  kind: 'source' | 'destination';
  /** Absolute path of the connector's `main.ts`. */
  entryPoint: string;
}
