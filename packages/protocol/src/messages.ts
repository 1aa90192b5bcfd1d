import * as z from 'zod';

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

/** Today's protocol: per-stream and global state; the 2020 form (`data` only) is LEGACY. */
export const AirbyteStateType = z.enum(['STREAM', 'GLOBAL', 'LEGACY']);
export const StreamDescriptor = z.looseObject({ name: z.string(), namespace: z.string().nullish() });
export const AirbyteStreamState = z.looseObject({
  stream_descriptor: StreamDescriptor,
  stream_state: jsonObject.nullish(),
});
export const AirbyteStateMessage = z.looseObject({
  type: AirbyteStateType.optional(),
  data: jsonObject.optional(),
  stream: AirbyteStreamState.optional(),
  global: z
    .looseObject({ shared_state: jsonObject.nullish(), stream_states: z.array(AirbyteStreamState) })
    .optional(),
});

/** TRACE: errors, estimates and stream statuses (today's protocol). */
export const AirbyteTraceType = z.enum(['ERROR', 'ESTIMATE', 'STREAM_STATUS', 'ANALYTICS']);
export const AirbyteErrorTrace = z.looseObject({
  message: z.string(),
  internal_message: z.string().nullish(),
  stack_trace: z.string().nullish(),
  failure_type: z.string().nullish(),
  stream_descriptor: StreamDescriptor.nullish(),
});
export const AirbyteEstimateTrace = z.looseObject({
  name: z.string(),
  namespace: z.string().nullish(),
  type: z.enum(['STREAM', 'SYNC']),
  row_estimate: z.number().nullish(),
  byte_estimate: z.number().nullish(),
});
export const AirbyteStreamStatusTrace = z.looseObject({
  stream_descriptor: StreamDescriptor,
  status: z.string(),
});
export const AirbyteTrace = z.looseObject({
  type: AirbyteTraceType,
  emitted_at: z.number(),
  error: AirbyteErrorTrace.optional(),
  estimate: AirbyteEstimateTrace.optional(),
  stream_status: AirbyteStreamStatusTrace.optional(),
});

/** CONTROL: a connector asks for its configuration to be replaced (e.g. a refreshed token). */
export const AirbyteControl = z.looseObject({
  type: z.literal('CONNECTOR_CONFIG'),
  emitted_at: z.number(),
  connectorConfig: z.looseObject({ config: jsonObject }),
});

export const AirbyteMessage = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('RECORD'), record: AirbyteRecord }),
  z.looseObject({ type: z.literal('STATE'), state: AirbyteStateMessage }),
  z.looseObject({ type: z.literal('LOG'), log: AirbyteLog }),
  z.looseObject({ type: z.literal('SPEC'), spec: ConnectorSpecification }),
  z.looseObject({ type: z.literal('CONNECTION_STATUS'), connectionStatus: AirbyteConnectionStatus }),
  z.looseObject({ type: z.literal('CATALOG'), catalog: AirbyteCatalog }),
  z.looseObject({ type: z.literal('TRACE'), trace: AirbyteTrace }),
  z.looseObject({ type: z.literal('CONTROL'), control: AirbyteControl }),
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
export type TraceMessage = Extract<AirbyteMessage, { type: 'TRACE' }>;
export type ControlMessage = Extract<AirbyteMessage, { type: 'CONTROL' }>;
export type AirbyteStateMessage = z.infer<typeof AirbyteStateMessage>;
export type AirbyteStreamState = z.infer<typeof AirbyteStreamState>;
export type StreamDescriptor = z.infer<typeof StreamDescriptor>;
export type AirbyteTrace = z.infer<typeof AirbyteTrace>;
