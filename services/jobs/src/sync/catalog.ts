import type { ConnectionRead, SourceSchemaStream } from '@ferry/contracts';

/**
 * The configured catalog of a sync: the selected streams only, each with a JSON schema rebuilt from its
 * selected fields (api-facts.md). A stream's sync mode falls back to the connection's; its destination
 * sync mode and primary key are its own (extensions), else incremental appends and full refresh overwrites.
 */
export const configuredCatalog = (connection: ConnectionRead, kind: 'sync' | 'reset') => ({
  streams: connection.syncSchema.streams
    .filter((s) => s.selected !== false && s.fields.some((f) => f.selected !== false))
    .map((stream) => {
      const syncMode =
        kind === 'reset' ? 'full_refresh' : (stream.syncMode ?? connection.syncMode ?? 'full_refresh');
      return {
        stream: airbyteStream(stream),
        sync_mode: syncMode,
        cursor_field: stream.cursorField?.length ? stream.cursorField : (stream.defaultCursorField ?? []),
        destination_sync_mode: destinationSyncMode(stream, syncMode, kind),
        primary_key: stream.primaryKey?.length ? stream.primaryKey : (stream.sourceDefinedPrimaryKey ?? []),
      };
    }),
});

/** The stream's own choice (an extension), else incremental appends and full refresh overwrites. */
const destinationSyncMode = (stream: SourceSchemaStream, syncMode: string, kind: 'sync' | 'reset') => {
  if (kind === 'reset') return 'overwrite';
  return stream.destinationSyncMode ?? (syncMode === 'incremental' ? 'append' : 'overwrite');
};

const airbyteStream = (stream: SourceSchemaStream) => ({
  name: stream.name,
  json_schema: {
    type: 'object',
    properties: Object.fromEntries(
      stream.fields.filter((f) => f.selected !== false).map((f) => [f.name, { type: f.dataType }]),
    ),
  },
  supported_sync_modes: stream.supportedSyncModes ?? [],
  source_defined_cursor: stream.sourceDefinedCursor ?? false,
  default_cursor_field: stream.defaultCursorField ?? [],
  ...(stream.sourceDefinedPrimaryKey?.length
    ? { source_defined_primary_key: stream.sourceDefinedPrimaryKey }
    : {}),
  ...(stream.namespace ? { namespace: stream.namespace } : {}),
});
