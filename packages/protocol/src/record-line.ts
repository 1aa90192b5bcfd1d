import * as json from './json-codes.ts';

/** From this byte on, a byte is not ASCII. */
const NOT_ASCII = 128;
/** Deeper data is left to JSON.parse (which has no such limit) rather than to this scan's recursion. */
const MAX_DEPTH = 64;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const HEAD = ascii('{"type":"RECORD","record":{"stream":"');
const AFTER_STREAM = ascii('","data":');
const AFTER_DATA = ascii(',"emitted_at":');
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');

/**
 * Where the parts of a RECORD line printed as `JSON.stringify` prints `record(stream, data, emittedAt)`
 * stand in its bytes: `{"type":"RECORD","record":{"stream":S,"data":D,"emitted_at":N}}`.
 */
export interface RecordLine {
  /** The stream's name (ASCII, no escapes). */
  stream: string;
  /** `record.data`'s text, bytes [dataStart, dataEnd): exactly `JSON.stringify(record.data)`, ASCII. */
  dataStart: number;
  dataEnd: number;
  /** `record.emitted_at`, an integer of at most 15 digits (exact as a double, finite). */
  emittedAt: number;
}

// The scan's state: the line and the position in it (module-level: no closure or object per line).
let b: Uint8Array = HEAD;
let end = 0;
/** Starts and ends of the keys of the objects being scanned, innermost last, to find duplicates. */
let keys = new Int32Array(256);
let keyCount = 0;

const digit = (c: number) => c >= json.ZERO && c <= json.NINE;

/** Whether `word` stands at `i`. */
function at(i: number, word: Uint8Array): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return false;
  return true;
}

/** The bytes a string's scan stops at: its closing quote, or one this scan does not take (one lookup a byte). */
const STRING_STOPS = new Uint8Array(256).map((_, c) =>
  Number(c === json.QUOTE || c === json.BACKSLASH || c < json.SPACE || c >= NOT_ASCII),
);

/** The end of the string whose opening quote is at `i`: printable ASCII, no escape; -1 otherwise. */
function stringEnd(i: number): number {
  i++;
  while (i < end && STRING_STOPS[b[i]!] === 0) i++;
  return i < end && b[i] === json.QUOTE ? i + 1 : -1;
}

/** Whether bytes [s, e) equal [t, t + e - s). */
function same(s: number, e: number, t: number): boolean {
  for (let k = 0; k < e - s; k++) if (b[s + k] !== b[t + k]) return false;
  return true;
}

/** Notes the key [s, e) of the object whose keys start at `first`; false when it is there already. */
function newKey(first: number, s: number, e: number): boolean {
  for (let k = first; k < keyCount; k += 2)
    if (keys[k + 1]! - keys[k]! === e - s && same(s, e, keys[k]!)) return false;
  if (keyCount + 2 > keys.length) {
    const grown = new Int32Array(keys.length * 2);
    grown.set(keys);
    keys = grown;
  }
  keys[keyCount++] = s;
  keys[keyCount++] = e;
  return true;
}

/** Buffer's own Latin-1 decoder, called on the line's bytes: a token's text without a Buffer made for it. */
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }
).latin1Slice;

/**
 * Fewest zeros after `0.` from which JSON.stringify prints a fraction in exponent form (`1e-7`, not
 * `0.0000001`): Number::toString writes digits after a point only down to 10^-6.
 */
const FRACTION_ZEROS_PRINTED = 6;

/**
 * The end of the number at `i` when it is valid JSON and prints back as written (no `1.0`, `1e3`, `-0`,
 * leading zero or digits beyond a double's); -1 otherwise.
 */
function numberEnd(i: number): number {
  const start = i;
  if (b[i] === json.MINUS) i++;
  const first = i;
  if (b[i] === json.ZERO) i++;
  else if (digit(b[i]!)) while (i < end && digit(b[i]!)) i++;
  else return -1;
  const integer = i;
  // Where the fraction's digits start, and its first digit that is not a zero.
  let fraction = -1;
  let significant = first;
  if (b[i] === json.DOT) {
    if (!digit(b[++i]!)) return -1;
    fraction = i;
    while (i < end && digit(b[i]!)) i++;
    if (integer - first === 1 && b[first] === json.ZERO) {
      significant = fraction;
      while (b[significant] === json.ZERO) significant++;
    }
  }
  const exponent = b[i] === json.LOWER_E || b[i] === json.UPPER_E;
  if (exponent) {
    if (b[i + 1] === json.PLUS || b[i + 1] === json.MINUS) i++;
    if (!digit(b[++i]!)) return -1;
    while (i < end && digit(b[i]!)) i++;
  }
  if (i === integer && integer - first <= json.EXACT_DIGITS) {
    // A plain integer: canonical unless it is -0 (a leading zero was stopped at above: `01` ends at 0).
    return b[start] === json.MINUS && b[first] === json.ZERO ? -1 : i;
  }
  // A decimal of at most 15 significant digits, the last not a zero, at least 10^-6: the double nearest to it
  // prints as exactly these digits, for no other decimal of at most 15 digits reads as that double (which is
  // what 15 digits being exact means), so none shorter does; and Number::toString prints a double from 10^-6
  // up to 10^21 with its digits around a point, as here.
  if (
    !exponent &&
    fraction !== -1 &&
    b[i - 1] !== json.ZERO &&
    i - significant - (significant < fraction ? 1 : 0) <= json.EXACT_DIGITS &&
    significant - fraction < FRACTION_ZEROS_PRINTED
  )
    return i;
  const token = latin1Slice.call(b, start, i);
  return String(Number(token)) === token ? i : -1;
}

/**
 * The end of the JSON value at `i` when it is valid and its text is exactly what JSON.stringify prints for
 * its parsed value, in printable ASCII without escapes; -1 otherwise (the caller then parses the line).
 */
function valueEnd(i: number, depth: number): number {
  const c = b[i];
  if (c === json.QUOTE) return stringEnd(i);
  if (c === json.OPEN_OBJECT) return depth < MAX_DEPTH ? objectEnd(i, depth + 1) : -1;
  if (c === json.OPEN_ARRAY) return depth < MAX_DEPTH ? arrayEnd(i, depth + 1) : -1;
  if (c === json.MINUS || digit(c!)) return numberEnd(i);
  const word = c === TRUE[0] ? TRUE : c === FALSE[0] ? FALSE : NULL;
  return at(i, word) ? i + word.length : -1;
}

function objectEnd(i: number, depth: number): number {
  if (b[i + 1] === json.CLOSE_OBJECT) return i + 2;
  const first = keyCount;
  try {
    for (i++; ; i++) {
      // A key that is an array index is printed first whatever its place: the text would change.
      if (b[i] !== json.QUOTE || digit(b[i + 1]!)) return -1;
      const keyEnd = stringEnd(i);
      if (keyEnd === -1 || b[keyEnd] !== json.COLON || !newKey(first, i + 1, keyEnd - 1)) return -1;
      i = valueEnd(keyEnd + 1, depth);
      if (i === -1) return -1;
      if (b[i] === json.CLOSE_OBJECT) return i + 1;
      if (b[i] !== json.COMMA) return -1;
    }
  } finally {
    keyCount = first;
  }
}

function arrayEnd(i: number, depth: number): number {
  if (b[i + 1] === json.CLOSE_ARRAY) return i + 2;
  for (i++; ; i++) {
    i = valueEnd(i, depth);
    if (i === -1) return -1;
    if (b[i] === json.CLOSE_ARRAY) return i + 1;
    if (b[i] !== json.COMMA) return -1;
  }
}

/**
 * Reads bytes [0, lineEnd) of `line` (a byte after them can only be the line's newline, which the scan
 * never takes) as a RECORD line in the one form JSON.stringify prints for `record()` (no whitespace, the
 * keys in that order, no namespace), with data in canonical printable ASCII. Returns
 * its parts when the line is exactly that: then `JSON.parse` of the line would give a RECORD message that
 * validates as it is, whose `JSON.stringify(record.data)` is the data's text here, byte for byte. Returns
 * undefined for any other line, valid or not: the caller parses it as before. What this buys: a reader that
 * only forwards or copies a record needs neither to decode nor to parse it.
 */
export function recordLine(line: Uint8Array, lineEnd = line.length): RecordLine | undefined {
  b = line;
  end = lineEnd;
  keyCount = 0;
  try {
    if (!at(0, HEAD)) return undefined;
    const streamStart = HEAD.length;
    const streamEnd = stringEnd(streamStart - 1) - 1;
    if (streamEnd < 0 || !at(streamEnd, AFTER_STREAM)) return undefined;
    const dataStart = streamEnd + AFTER_STREAM.length;
    if (b[dataStart] !== json.OPEN_OBJECT) return undefined;
    const dataEnd = objectEnd(dataStart, 1);
    if (dataEnd === -1 || !at(dataEnd, AFTER_DATA)) return undefined;
    let i = dataEnd + AFTER_DATA.length;
    const numberStart = i;
    let emittedAt = 0;
    if (b[i] === json.ZERO) i++;
    else while (i < end && digit(b[i]!)) emittedAt = emittedAt * 10 + b[i++]! - json.ZERO;
    const digits = i - numberStart;
    if (digits === 0 || digits > json.EXACT_DIGITS || i + 2 !== end) return undefined;
    if (b[i] !== json.CLOSE_OBJECT || b[i + 1] !== json.CLOSE_OBJECT) return undefined;
    const stream = Buffer.from(b.buffer, b.byteOffset + streamStart, streamEnd - streamStart).toString(
      'latin1',
    );
    return { stream, dataStart, dataEnd, emittedAt };
  } finally {
    b = HEAD; // let the line go
  }
}
