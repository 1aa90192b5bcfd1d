export * from './messages.ts';
export { validateMessage, type Validation } from './validate.ts';
export { canonicalDataText, recordDataJson } from './record-text.ts';
export { recordLine, type RecordLine } from './record-line.ts';
export { LineBytes } from './line-bytes.ts';
export {
  readMessages,
  DEFAULT_MAX_LINE_BYTES,
  type ParsedLine,
  type ParsedLines,
  type ReadMessagesOptions,
  type UnparsedRecord,
} from './reader.ts';
export {
  writeMessage,
  drained,
  createMessageWriter,
  type MessageWriter,
  record,
  state,
  log,
  connectionStatus,
  spec,
  catalog,
  traceError,
} from './writer.ts';
export {
  runConnector,
  runConnectorCommand,
  USAGE,
  END_OF_INPUT_LINE,
  END_OF_INPUT_ENV,
  type ConnectorHandlers,
  type ConnectorIo,
  type RecordText,
  type TextInput,
} from './connector.ts';
export {
  cleanedName,
  resolveLocalPath,
  localRoot,
  DEFAULT_LOCAL_ROOT,
  LOCAL_MOUNT,
  type LocalPath,
  type ResolveLocalPathOptions,
} from './names.ts';
export type { ConnectorManifest } from './manifest.ts';
export { STATE_MESSAGES, storedStateMessages } from './stored-state.ts';
export {
  typedColumns,
  typedValue,
  primaryKeyOf,
  destinationSyncModeOf,
  type ColumnKind,
  type TypedColumn,
} from './typed.ts';
