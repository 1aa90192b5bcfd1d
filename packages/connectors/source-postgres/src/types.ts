import pg from 'pg';

/** JSON schema of a column, from information_schema's `data_type`. */
export function columnSchema(dataType: string): Record<string, unknown> {
  switch (dataType) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return { type: 'integer' };
    case 'numeric':
    case 'real':
    case 'double precision':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'json':
    case 'jsonb':
      return { type: 'object' };
    case 'ARRAY':
      return { type: 'array' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamp with time zone':
      return { type: 'string', format: 'date-time' };
    case 'timestamp without time zone':
      return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
    case 'time with time zone':
    case 'time without time zone':
      return { type: 'string', format: 'time' };
    default:
      return { type: 'string' };
  }
}

const OID = {
  int8: 20,
  bytea: 17,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
};

/** `2020-01-02 03:04:05.123456+00` (the session is in UTC) → `2020-01-02T03:04:05.123456Z`, microseconds kept. */
function isoTimestamp(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const t = text.replace(' ', 'T');
  return t.endsWith('+00') ? `${t.slice(0, -3)}Z` : t;
}

/**
 * Parsers that turn values into what the discovered schema promises: 64-bit integers and numerics as JSON
 * numbers (as Airbyte does; beyond 2^53 they lose precision), timestamps as ISO text rather than JS Dates
 * (which would drop microseconds and misread zone-less timestamps as local time), bytea and intervals as text.
 */
export const readTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    switch (oid) {
      case OID.int8:
      case OID.numeric:
        return (v: string) => (v === 'NaN' ? v : Number(v));
      case OID.timestamp:
      case OID.timestamptz:
        return isoTimestamp;
      case OID.date:
      case OID.interval:
      case OID.bytea:
        return (v: string) => v;
      default:
        return pg.types.getTypeParser(oid, format as 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};
