import { z } from 'zod';

// Objects are loose: connectors newer than the 2020 protocol add fields (namespace, supportsDBT, ...) that we
// must carry through untouched rather than strip or reject.
const jsonObject = z.record(z.string(), z.unknown());

export const SyncMode = z.enum(['full_refresh', 'incremental']);
export const DestinationSyncMode = z.enum(['append', 'overwrite', 'append_dedup']);
export const LogLevel = z.enum(['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']);
export const ConnectionStatusValue = z.enum(['SUCCEEDED', 'FAILED']);

export const AirbyteRecord = z.looseObject({
  stream: z.string(),
  data: jsonObject,
  /** Epoch milliseconds. */
  emitted_at: z.number(),
  namespace: z.string().optional(),
});

export const AirbyteState = z.looseObject({ data: jsonObject });

export const AirbyteLog = z.looseObject({ level: LogLevel, message: z.string() });

export const ConnectorSpecification = z.looseObject({
  documentationUrl: z.string().optional(),
  changelogUrl: z.string().optional(),
  connectionSpecification: jsonObject,
  supportsIncremental: z.boolean().optional(),
});

export const AirbyteConnectionStatus = z.looseObject({
  status: ConnectionStatusValue,
  message: z.string().optional(),
});

export const AirbyteStream = z.looseObject({
  name: z.string(),
  json_schema: jsonObject,
  supported_sync_modes: z.array(SyncMode).optional(),
  source_defined_cursor: z.boolean().optional(),
  default_cursor_field: z.array(z.string()).optional(),
  /** Today's protocol: the key the source knows, as field paths (`[["id"]]`). */
  source_defined_primary_key: z.array(z.array(z.string())).optional(),
  namespace: z.string().optional(),
});

export const AirbyteCatalog = z.looseObject({ streams: z.array(AirbyteStream) });

export const ConfiguredAirbyteStream = z.looseObject({
  stream: AirbyteStream,
  sync_mode: SyncMode,
  cursor_field: z.array(z.string()).optional(),
  destination_sync_mode: DestinationSyncMode.optional(),
  /** Today's protocol: the key `append_dedup` deduplicates on, as field paths; overrides the source's. */
  primary_key: z.array(z.array(z.string())).optional(),
});

export const ConfiguredAirbyteCatalog = z.looseObject({ streams: z.array(ConfiguredAirbyteStream) });

export const AirbyteMessage = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('RECORD'), record: AirbyteRecord }),
  z.looseObject({ type: z.literal('STATE'), state: AirbyteState }),
  z.looseObject({ type: z.literal('LOG'), log: AirbyteLog }),
  z.looseObject({ type: z.literal('SPEC'), spec: ConnectorSpecification }),
  z.looseObject({ type: z.literal('CONNECTION_STATUS'), connectionStatus: AirbyteConnectionStatus }),
  z.looseObject({ type: z.literal('CATALOG'), catalog: AirbyteCatalog }),
]);

export type SyncMode = z.infer<typeof SyncMode>;
export type DestinationSyncMode = z.infer<typeof DestinationSyncMode>;
export type LogLevel = z.infer<typeof LogLevel>;
export type ConnectionStatusValue = z.infer<typeof ConnectionStatusValue>;
export type AirbyteRecord = z.infer<typeof AirbyteRecord>;
export type AirbyteState = z.infer<typeof AirbyteState>;
export type AirbyteLog = z.infer<typeof AirbyteLog>;
export type ConnectorSpecification = z.infer<typeof ConnectorSpecification>;
export type AirbyteConnectionStatus = z.infer<typeof AirbyteConnectionStatus>;
export type AirbyteStream = z.infer<typeof AirbyteStream>;
export type AirbyteCatalog = z.infer<typeof AirbyteCatalog>;
export type ConfiguredAirbyteStream = z.infer<typeof ConfiguredAirbyteStream>;
export type ConfiguredAirbyteCatalog = z.infer<typeof ConfiguredAirbyteCatalog>;
export type AirbyteMessage = z.infer<typeof AirbyteMessage>;
export type AirbyteMessageType = AirbyteMessage['type'];
export type RecordMessage = Extract<AirbyteMessage, { type: 'RECORD' }>;
export type StateMessage = Extract<AirbyteMessage, { type: 'STATE' }>;
export type LogMessage = Extract<AirbyteMessage, { type: 'LOG' }>;
export type SpecMessage = Extract<AirbyteMessage, { type: 'SPEC' }>;
export type ConnectionStatusMessage = Extract<AirbyteMessage, { type: 'CONNECTION_STATUS' }>;
export type CatalogMessage = Extract<AirbyteMessage, { type: 'CATALOG' }>;
