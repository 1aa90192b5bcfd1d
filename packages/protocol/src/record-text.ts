import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  EXACT_DIGITS,
  MINUS,
  NINE,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  ZERO,
} from './json-codes.ts';

const SHORT_ESCAPES = new Set([QUOTE, BACKSLASH, 98, 102, 110, 114, 116]); // \" \\ \b \f \n \r \t
const LETTER_U = 117;
/** The \u escapes JSON.stringify prints: control characters without a short escape, in lowercase hex. */
const CONTROL_ESCAPE = /^00[01][0-9a-f]$/;
const isControlEscape = (hex: string) =>
  CONTROL_ESCAPE.test(hex) && ![8, 9, 10, 12, 13].includes(Number.parseInt(hex, 16));

const isWhitespace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** Where a number or literal ends (NaN: the end of the text). */
const endsToken = (c: number) =>
  Number.isNaN(c) || isWhitespace(c) || c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY;
/** A surrogate outside a pair, which JSON.stringify escapes (with the u flag, pairs match as one). */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const skipWhitespace = (s: string, i: number) => {
  while (isWhitespace(s.charCodeAt(i))) i++;
  return i;
};

/**
 * The end of the string starting at `i` (its opening quote); -1 when an escape is one JSON.stringify avoids.
 * `plain`: the line has no backslash at all, so the closing quote is simply the next one.
 */
function canonicalStringEnd(s: string, i: number, plain: boolean): number {
  if (plain) return s.indexOf('"', i + 1) + 1;
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const escaped = s.charCodeAt(++i);
      if (escaped === LETTER_U ? !isControlEscape(s.slice(i + 1, i + 5)) : !SHORT_ESCAPES.has(escaped))
        return -1;
    }
  }
  return -1;
}

/** Whether a number token prints back unchanged: no `1.0`, `1e3`, `-0` or digits beyond a double's. */
function canonicalNumber(token: string): boolean {
  const digits = token.charCodeAt(0) === MINUS ? token.length - 1 : token.length;
  let simple = digits <= EXACT_DIGITS && !(token.charCodeAt(token.length - digits) === ZERO && digits > 1);
  for (let k = token.length - digits; simple && k < token.length; k++) {
    const c = token.charCodeAt(k);
    simple = c >= ZERO && c <= NINE;
  }
  if (simple) return token !== '-0';
  return String(Number(token)) === token;
}

interface Cursor {
  /** Object keys seen, nested ones included: fewer parsed keys means a duplicate key collapsed. */
  keys: number;
  /** The line has no backslash. */
  plain: boolean;
}

/**
 * The end of the JSON value at `i` when its text is exactly what JSON.stringify prints for its parsed value
 * (no whitespace, the same escapes and number forms, no key that JSON orders first); -1 otherwise.
 * The text is known to be valid JSON (it was parsed), which keeps the scan this small.
 */
function canonicalValueEnd(s: string, i: number, cursor: Cursor): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return canonicalStringEnd(s, i, cursor.plain);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
    if (s.charCodeAt(i + 1) === close) return i + 2;
    for (i++; ; ) {
      if (c === OPEN_OBJECT) {
        // A key that is an array index is printed first whatever its place: the text would change.
        const first = s.charCodeAt(i + 1);
        if (s.charCodeAt(i) !== QUOTE || (first >= ZERO && first <= NINE)) return -1;
        i = canonicalStringEnd(s, i, cursor.plain);
        if (i === -1 || s.charCodeAt(i) !== COLON) return -1;
        cursor.keys++;
        i++;
      }
      i = canonicalValueEnd(s, i, cursor);
      if (i === -1) return -1;
      const next = s.charCodeAt(i);
      if (next === close) return i + 1;
      if (next !== COMMA) return -1;
      i++;
    }
  }
  let end = i;
  while (!endsToken(s.charCodeAt(end))) end++;
  const token = s.slice(i, end);
  if (token === 'true' || token === 'false' || token === 'null') return end;
  return canonicalNumber(token) ? end : -1;
}

/** The end of any JSON value at `i` (whitespace allowed), for the parts of a line around `data`. */
function valueEnd(s: string, i: number, plain: boolean): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    if (plain) return s.indexOf('"', i + 1) + 1;
    for (i++; s.charCodeAt(i) !== QUOTE; i++) if (s.charCodeAt(i) === BACKSLASH) i++;
    return i + 1;
  }
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    while (!endsToken(s.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d === QUOTE) i = valueEnd(s, i, plain) - 1;
    else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if ((d === CLOSE_OBJECT || d === CLOSE_ARRAY) && --depth === 0) return i + 1;
  }
  return i;
}

/** Whether the key whose opening quote is at `i` is `name`, written without escapes. */
const isKey = (s: string, i: number, name: string) =>
  s.charCodeAt(i + name.length + 1) === QUOTE && s.startsWith(name, i + 1);

/**
 * Calls `visit(keyStart, valueStart)` for each member of the object at `i`, in order; `visit` returns where
 * the value ends. Returns where the object ends, or -1 when `visit` does, or when a key has an escape in a
 * line with escapes (a key is then maybe not what its text says).
 */
function members(s: string, i: number, plain: boolean, visit: (key: number, at: number) => number): number {
  i = skipWhitespace(s, i + 1);
  if (s.charCodeAt(i) === CLOSE_OBJECT) return i + 1;
  for (;;) {
    const keyEnd = s.indexOf('"', i + 1);
    if (!plain && s.lastIndexOf('\\', keyEnd) > i) return -1;
    const end = visit(i, skipWhitespace(s, skipWhitespace(s, keyEnd + 1) + 1)); // past the colon
    if (end === -1) return -1;
    i = skipWhitespace(s, end);
    if (s.charCodeAt(i) !== COMMA) return i + 1;
    i = skipWhitespace(s, i + 1);
  }
}

/** Keys of a parsed JSON value, nested ones included. */
function keyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) for (const v of value) n += keyCount(v);
  else
    for (const k in value) {
      n++;
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) n += keyCount(v);
    }
  return n;
}

/**
 * The text of `record.data` in a RECORD line, when it is exactly what `JSON.stringify(data)` prints for the
 * parsed `data` (as every connector that prints with JSON.stringify writes it); otherwise undefined, and the
 * caller serializes `data` itself. This is what lets the runner count a record's bytes and a destination
 * write `data` without serializing each record again, with the same bytes. As JSON.parse does, the last of
 * duplicate `record` or `data` keys is the one that counts.
 */
export function canonicalDataText(line: string, data: object): string | undefined {
  let span: [number, number] | undefined;
  const plain = !line.includes('\\');
  const inRecord = (key: number, at: number) => {
    if (!isKey(line, key, 'data')) return valueEnd(line, at, plain);
    const cursor = { keys: 0, plain };
    const end = canonicalValueEnd(line, at, cursor);
    span = end === -1 || cursor.keys !== keyCount(data) ? undefined : [at, end];
    return end === -1 ? valueEnd(line, at, plain) : end;
  };
  const atTop = (key: number, at: number) => {
    if (!isKey(line, key, 'record') || line.charCodeAt(at) !== OPEN_OBJECT) return valueEnd(line, at, plain);
    span = undefined;
    return members(line, at, plain, inRecord);
  };
  const start = skipWhitespace(line, 0);
  if (line.charCodeAt(start) !== OPEN_OBJECT || members(line, start, plain, atTop) === -1) return undefined;
  const text = span && line.slice(span[0], span[1]);
  return text === undefined || LONE_SURROGATE.test(text) ? undefined : text;
}

/**
 * `JSON.stringify(data)` of a RECORD, taken from the line it came in when that line already holds exactly
 * this text (see canonicalDataText), else serialized. Airbyte's `bytesSynced` counts its UTF-8 bytes.
 */
export const recordDataJson = (line: string | undefined, data: object): string =>
  (line === undefined ? undefined : canonicalDataText(line, data)) ?? JSON.stringify(data);
