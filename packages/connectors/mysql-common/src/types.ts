import type { TypeCast } from 'mysql2';

/** `2020-01-02 03:04:05.123456` → `2020-01-02T03:04:05.123456`; MySQL's zero dates mean "no date". */
const isoOf = (text: string | null): string | null => {
  if (text === null || text.startsWith('0000-00-00')) return null;
  return text.replace(' ', 'T');
};

/**
 * Reads values as the discovered schema promises them: TINYINT(1) and BIT(1) as booleans, 64-bit integers
 * and decimals as JSON numbers (as Airbyte does; beyond 2^53 they lose precision), DATETIME as ISO text
 * without a zone and TIMESTAMP as ISO text in UTC (the session is in UTC), MariaDB's JSON (a checked
 * LONGTEXT, told apart by its extended metadata) and MySQL's JSON as parsed values, binary as base64.
 */
export const readTypeCast: TypeCast = (field, next) => {
  switch (field.type) {
    case 'TINY':
      if (field.length === 1) {
        const v = field.string();
        return v === null ? null : v !== '0';
      }
      return next();
    case 'BIT': {
      const b = field.buffer();
      if (b === null) return null;
      if (field.length === 1) return b[0] === 1;
      return b.reduce((n, byte) => n * 256 + byte, 0);
    }
    case 'LONGLONG': {
      const v = field.string();
      return v === null ? null : Number(v);
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP2': {
      const v = isoOf(field.string());
      return v === null ? null : `${v}Z`;
    }
    case 'DATETIME':
    case 'DATETIME2':
    case 'DATE':
    case 'NEWDATE':
      return isoOf(field.string());
    case 'JSON': {
      const v = field.string();
      return v === null ? null : JSON.parse(v);
    }
    default: {
      if (field.extendedFormat === 'json') {
        const v = field.string();
        return v === null ? null : JSON.parse(v);
      }
      const value = next();
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    }
  }
};
