import type { BuiltInDefinition } from '@ferry/config';
import { manifest as localCsv } from '@ferry/destination-local-csv';
import { manifest as localJson } from '@ferry/destination-local-json';
import type { ConnectorManifest } from '@ferry/protocol';
import { manifest as faker } from '@ferry/source-faker';
import { manifest as file } from '@ferry/source-file';
import { manifest as postgresSource } from '@ferry/source-postgres';
import { manifest as postgresDestination } from '@ferry/destination-postgres';
import { manifest as mysqlSource } from '@ferry/source-mysql';
import { manifest as mysqlDestination } from '@ferry/destination-mysql';

/** Ferry's own connectors: seeded as definitions on first start, runnable as local processes. */
export const builtInConnectors: readonly ConnectorManifest[] = [
  postgresSource,
  file,
  faker,
  localCsv,
  localJson,
  postgresDestination,
  mysqlSource,
  mysqlDestination,
];

export const builtInCatalog: readonly BuiltInDefinition[] = builtInConnectors.map((m) => ({
  kind: m.kind,
  name: m.name,
  dockerRepository: m.dockerRepository,
  dockerImageTag: m.dockerImageTag,
  documentationUrl: m.documentationUrl,
}));

export const builtInEntryPoints = Object.fromEntries(
  builtInConnectors.map((m) => [`${m.dockerRepository}:${m.dockerImageTag}`, m.entryPoint]),
);
