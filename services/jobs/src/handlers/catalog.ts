import type { DataType, SourceSchema } from '@ferry/contracts';
import { cleanedName, type AirbyteCatalog } from '@ferry/protocol';

/** JSON-schema `type` → the API's DataType: the first non-null entry; `integer` is a number (api-facts.md). */
const dataTypeOf = (schema: unknown): DataType => {
  const declared = (schema as { type?: unknown } | null)?.type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter(
    (t) => typeof t === 'string' && t !== 'null',
  );
  const first = types[0] as string | undefined;
  if (first === 'integer') return 'number';
  return first === 'string' || first === 'number' || first === 'boolean' || first === 'array'
    ? first
    : 'object';
};

/** A discovered catalog as the API's SourceSchema: every stream and top-level field, nothing chosen yet. */
export const sourceSchemaOf = (catalog: AirbyteCatalog): SourceSchema => ({
  streams: catalog.streams.map((stream) => {
    const properties = ((stream.json_schema as { properties?: Record<string, unknown> }).properties ??
      {}) as Record<string, unknown>;
    return {
      name: stream.name,
      cleanedName: cleanedName(stream.name),
      fields: Object.entries(properties).map(([name, schema]) => ({
        name,
        cleanedName: cleanedName(name),
        selected: true,
        dataType: dataTypeOf(schema),
      })),
      supportedSyncModes: stream.supported_sync_modes ?? [],
      sourceDefinedCursor: stream.source_defined_cursor ?? null,
      defaultCursorField: stream.default_cursor_field ?? [],
      selected: null,
      syncMode: null,
      cursorField: [],
      // Extensions (ADR 0004): only on the streams whose source says them.
      ...(stream.namespace ? { namespace: stream.namespace } : {}),
      ...(stream.source_defined_primary_key?.length
        ? { sourceDefinedPrimaryKey: stream.source_defined_primary_key }
        : {}),
    };
  }),
});
