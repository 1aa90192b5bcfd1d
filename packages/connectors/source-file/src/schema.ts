import type { AirbyteStream } from '@ferry/protocol';
import type { FileConfig } from './spec.ts';

/** How many rows discover looks at to guess column types. */
export const SAMPLE_ROWS = 100;

type JsonType = 'integer' | 'number' | 'boolean' | 'string' | 'object' | 'array';

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function typeOfCell(v: string): JsonType {
  if (INTEGER.test(v)) return 'integer';
  if (NUMBER.test(v)) return 'number';
  if (v === 'true' || v === 'false') return 'boolean';
  return 'string';
}

function typeOfValue(v: unknown): JsonType | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'object') return typeof v as JsonType;
  return 'string';
}

/** The narrowest type covering both; integer widens to number, anything else mixed becomes string. */
function widen(a: JsonType | undefined, b: JsonType | undefined): JsonType | undefined {
  if (a === undefined || a === b) return b ?? a;
  if (b === undefined) return a;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

/** Guesses the stream's JSON schema from sample rows (empty CSV cells and nulls say nothing). */
export function inferStream(config: FileConfig, sample: Record<string, unknown>[]): AirbyteStream {
  const types = new Map<string, JsonType | undefined>();
  for (const row of sample) {
    for (const [key, value] of Object.entries(row)) {
      const t =
        config.format === 'csv' ? (value ? typeOfCell(String(value)) : undefined) : typeOfValue(value);
      types.set(key, widen(types.get(key), t));
    }
  }
  const properties: Record<string, unknown> = {};
  for (const [key, t] of types) properties[key] = { type: [t ?? 'string', 'null'] };
  return {
    name: config.stream_name,
    json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties },
    supported_sync_modes: ['full_refresh'],
  };
}

function declaredType(schema: unknown): string | undefined {
  const t = (schema as { type?: unknown } | undefined)?.type;
  return Array.isArray(t) ? t.find((x) => x !== 'null') : typeof t === 'string' ? t : undefined;
}

/**
 * Turns CSV cells into the values the configured schema declares (numbers, booleans, null for empty cells
 * of non-string columns); cells that do not fit, or columns the schema does not know, stay strings.
 */
export function csvConverter(jsonSchema: Record<string, unknown>) {
  const properties = (jsonSchema.properties ?? {}) as Record<string, unknown>;
  const types = new Map(Object.entries(properties).map(([k, v]) => [k, declaredType(v)]));
  return (row: Record<string, unknown>): Record<string, unknown> => {
    for (const [key, cell] of Object.entries(row)) {
      const t = types.get(key);
      if (typeof cell !== 'string' || t === undefined || t === 'string') continue;
      if (cell === '') row[key] = null;
      else if ((t === 'number' || t === 'integer') && NUMBER.test(cell)) row[key] = Number(cell);
      else if (t === 'boolean' && (cell === 'true' || cell === 'false')) row[key] = cell === 'true';
    }
    return row;
  };
}
