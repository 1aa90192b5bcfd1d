/** A column as information_schema describes it. */
export interface Column {
  name: string;
  /** DATA_TYPE: `int`, `varchar`, `datetime`, ... */
  dataType: string;
  /** COLUMN_TYPE: `tinyint(1)`, `bit(1)`, `int(10) unsigned`, ... */
  columnType: string;
  /** A MariaDB JSON column: a LONGTEXT with a json_valid check. */
  json: boolean;
}

/** JSON schema of a column; matches what the driver's type cast (mysql-common types.ts) returns. */
export function columnSchema(c: Column): Record<string, unknown> {
  if (c.json) return { type: 'object' };
  switch (c.dataType) {
    case 'tinyint':
      return c.columnType.startsWith('tinyint(1)') ? { type: 'boolean' } : { type: 'integer' };
    case 'bit':
      return c.columnType === 'bit(1)' ? { type: 'boolean' } : { type: 'integer' };
    case 'smallint':
    case 'mediumint':
    case 'int':
    case 'integer':
    case 'bigint':
    case 'year':
      return { type: 'integer' };
    case 'decimal':
    case 'numeric':
    case 'float':
    case 'double':
    case 'real':
      return { type: 'number' };
    case 'json':
      return { type: 'object' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'datetime':
      return { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
    case 'time':
      return { type: 'string', format: 'time' };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { type: 'string', contentEncoding: 'base64' };
    default:
      return { type: 'string' };
  }
}

/**
 * A cursor value as the server compares it: ISO date-times the source emitted go back in MySQL's own form
 * (`2020-01-02 03:04:05.123`, the session being in UTC), everything else as it is.
 */
export function cursorParameter(c: Column, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (['datetime', 'timestamp'].includes(c.dataType)) return value.replace('T', ' ').replace(/Z$/, '');
  return value;
}
