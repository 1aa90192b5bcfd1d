import type pg from 'pg';

/** A column's value as the JSON text `JSON.stringify` prints for it in a row, from its COPY text (unescaped). */
export type FieldJson = (text: string) => string;

const OID = { bool: 16, int2: 21, int4: 23 };

/**
 * The JSON of each type is `JSON.stringify` of what the cursor's parser makes of the same text (COPY prints a
 * value with the type's output function, as a query's text-format row does), so a record is the same bytes
 * whichever way it was read. The commonest types skip the parse: int2out/int4out print the digits
 * `JSON.stringify(parseInt(…))` prints, and booleans are `t`/`f`.
 */
export function fieldJson(oid: number, types: pg.CustomTypesConfig): FieldJson {
  switch (oid) {
    case OID.int2:
    case OID.int4:
      return (text) => text;
    case OID.bool:
      return (text) => (text === 't' ? 'true' : 'false');
    default: {
      const parse = types.getTypeParser(oid, 'text') as (text: string) => unknown;
      return (text) => JSON.stringify(parse(text));
    }
  }
}

/** What a backslash followed by each letter stands for in COPY's text format (COPY TO prints no others). */
const ESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const ESCAPES = /\\(.)/gs;

/** A field of COPY's text format as the value's text: the common clean field is returned as it is. */
export function unescapeField(field: string): string {
  return field.includes('\\') ? field.replace(ESCAPES, (_, c: string) => ESCAPED[c] ?? c) : field;
}

/** NULL in COPY's text format: a value's own backslash is escaped, so a text `\N` never reads as this. */
export const NULL_FIELD = '\\N';
