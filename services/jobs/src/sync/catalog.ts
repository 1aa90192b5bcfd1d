import type { ConnectionRead, SourceSchemaStream } from '@ferry/contracts';

/**
 * The configured catalog of a sync: the selected streams only, each with a JSON schema rebuilt from its
 * selected fields (api-facts.md). A stream's sync mode falls back to the connection's; incremental
 * appends at the destination, full refresh overwrites.
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
        destination_sync_mode: syncMode === 'incremental' ? 'append' : 'overwrite',
      };
    }),
});

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
});
