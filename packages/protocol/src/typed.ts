import type { ConfiguredAirbyteStream } from './messages.ts';

/** What a typed destination column holds; each destination maps these to its SQL types. */
export type ColumnKind = 'integer' | 'number' | 'boolean' | 'string' | 'json';

export interface TypedColumn {
  /** The record field (top level) and the column's name. */
  name: string;
  kind: ColumnKind;
  /** Part of the stream's primary key (append_dedup upserts on these). */
  key: boolean;
}

const kindOf = (schema: unknown): ColumnKind => {
  const declared = (schema as { type?: unknown } | null)?.type;
  const types = (Array.isArray(declared) ? declared : [declared]).filter((t) => t !== 'null');
  switch (types[0]) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'json';
  }
};

/** The destination sync mode: an explicit one wins; without it full refresh overwrites, incremental appends. */
export const destinationSyncModeOf = (s: ConfiguredAirbyteStream) =>
  s.destination_sync_mode ?? (s.sync_mode === 'full_refresh' ? 'overwrite' : 'append');

/** The top-level fields of a stream's primary key (`[["id"], ["region"]]` → `["id", "region"]`). */
export const primaryKeyOf = (s: ConfiguredAirbyteStream): string[] => {
  const declared = s.primary_key?.length ? s.primary_key : (s.stream.source_defined_primary_key ?? []);
  return declared.flatMap((path) => (path[0] === undefined ? [] : [path[0]]));
};

/**
 * The columns of a stream's typed table: one per top-level property of its JSON schema, plus any primary
 * key field the schema leaves out (as a string). Nested fields stay inside their JSON column.
 */
export function typedColumns(s: ConfiguredAirbyteStream): TypedColumn[] {
  const properties = (s.stream.json_schema.properties ?? {}) as Record<string, unknown>;
  const key = new Set(primaryKeyOf(s));
  const columns: TypedColumn[] = Object.entries(properties).map(([name, schema]) => ({
    name,
    kind: kindOf(schema),
    key: key.has(name),
  }));
  for (const name of key) if (!(name in properties)) columns.push({ name, kind: 'string', key: true });
  return columns;
}

/**
 * A record value as its column takes it. A value of another type than the column's becomes null (numbers
 * and booleans) or its JSON text (strings): a typed table never rejects a row the raw table took.
 */
export function typedValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) return null;
      return kind === 'integer' ? Math.trunc(n) : n;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'json':
      return JSON.stringify(value);
  }
}
