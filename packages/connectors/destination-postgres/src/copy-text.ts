/** The characters COPY's text format gives a meaning to, and how a value spells them. */
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** NULL in COPY's text format. */
export const NULL_FIELD = '\\N';

/** Text as one field of a `COPY ... FROM STDIN` line (text format): the test spares the common clean case. */
export function copyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPED[c]!) : text;
}

/**
 * A typed value (as `typedValue` gives it) as a field of its typed column, so the typed table holds what it
 * held when rows travelled as JSON: numbers in JavaScript's shortest round-trip form (which PostgreSQL reads
 * back to the same double), booleans as t/f, JSON columns as JSON text.
 */
export function textField(typed: unknown): string {
  if (typed === null) return NULL_FIELD;
  if (typeof typed === 'boolean') return typed ? 't' : 'f';
  if (typeof typed === 'number') return String(typed);
  return copyText(typed as string);
}
