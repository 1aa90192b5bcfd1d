import { isUtf8 } from 'node:buffer';
import { validateMessage } from './validate.ts';
import type { AirbyteMessage } from './messages.ts';
import { type RecordLine, recordLine } from './record-line.ts';

/**
 * One line of connector output: a valid message, or noise to be logged (never fatal). A message that is the
 * line's parsed value as it is (every RECORD and 2020 STATE that passes the fast check) keeps the line's
 * `text`, which says the same thing: it can be forwarded as it is, without serializing the message again.
 */
export type ParsedLine =
  | { kind: 'message'; message: AirbyteMessage; bytes: number; text?: string }
  | { kind: 'noise'; line: string; reason: string };

/**
 * A RECORD line in the one form `JSON.stringify(record(...))` prints (see recordLine), neither decoded nor
 * parsed: what `chunks({ unparsedRecords: true })` yields for it instead of a parsed message. `line` is its
 * bytes with the newline; `JSON.parse` of them is the message the line would have been parsed to.
 */
export interface UnparsedRecord {
  kind: 'record';
  line: Buffer;
  record: RecordLine;
}

export interface ReadMessagesOptions {
  /** Longest line kept in memory; longer lines are dropped as noise. Default 16 MiB. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of a dropped over-long line is kept to show in the log. */
const NOISE_PREVIEW_BYTES = 256;
const NEWLINE = 10;
const CR = 13;
const OPEN_BRACE = 123;
const NEWLINE_BYTE = Buffer.from('\n');

/** Parses bytes [0, lineEnd) of `buf` (the rest, if any, is the line's newline). */
function parseLine(buf: Buffer, lineEnd: number): ParsedLine | undefined {
  let end = lineEnd;
  if (end > 0 && buf[end - 1] === CR) end--; // tolerate CRLF output
  if (end === 0) return undefined; // blank lines carry nothing worth logging
  const text = buf.toString('utf8', 0, end); // invalid sequences become U+FFFD
  // Only attempt JSON.parse on lines that can be an object: throwing is slow, and most noise is plain text.
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  if (text.charCodeAt(start) !== OPEN_BRACE) return noise(buf, text, 'not JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return noise(buf, text, `not JSON: ${(err as Error).message}`);
  }
  const checked = validateMessage(value);
  if (!checked.ok) return noise(buf, text, checked.reason);
  if (checked.message !== value) return { kind: 'message', message: checked.message, bytes: end };
  return { kind: 'message', message: checked.message, bytes: end, text };
}

function noise(buf: Buffer, text: string, reason: string): ParsedLine {
  // isUtf8 only runs on rejected lines, so valid traffic never pays for it.
  return { kind: 'noise', line: text, reason: isUtf8(buf) ? reason : `invalid UTF-8; ${reason}` };
}

/** The first bytes of a line, copied so the (large) chunks they came from can be freed. */
function preview(parts: Buffer[]): Buffer {
  const out: Buffer[] = [];
  let n = 0;
  for (const p of parts) {
    if (n >= NOISE_PREVIEW_BYTES) break;
    const take = p.subarray(0, NOISE_PREVIEW_BYTES - n);
    out.push(take);
    n += take.length;
  }
  return Buffer.concat(out);
}

/**
 * Connector output as parsed lines, read one way only and once: line by line, or a chunk of the input at a
 * time (every whole line the chunk ends, in order), which costs one `await` per chunk (64 KiB from a pipe)
 * instead of one per line. Either way the input is read only as fast as its lines are consumed.
 */
export interface ParsedLines extends AsyncIterable<ParsedLine> {
  chunks(): AsyncIterable<ParsedLine[]>;
  /**
   * With `unparsedRecords`, a RECORD line in `JSON.stringify`'s own form comes as an UnparsedRecord: a reader
   * that forwards or copies records skips decoding and parsing them. Every other line comes as before.
   */
  chunks(options: { unparsedRecords: true }): AsyncIterable<(ParsedLine | UnparsedRecord)[]>;
}

/**
 * Splits connector output into lines and parses each as an AirbyteMessage. Survives anything a connector can
 * print: non-JSON, invalid UTF-8, a missing final newline, and lines longer than `maxLineBytes` (dropped
 * while streaming, so memory stays bounded by that limit plus one chunk).
 */
export function readMessages(
  input: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  options: ReadMessagesOptions = {},
): ParsedLines {
  const chunks = (o?: { unparsedRecords: true }) =>
    readChunks(input as AsyncIterable<Buffer | string>, options, o?.unparsedRecords === true);
  return {
    chunks: chunks as ParsedLines['chunks'],
    async *[Symbol.asyncIterator]() {
      for await (const lines of readChunks(input as AsyncIterable<Buffer | string>, options, false))
        for (const line of lines) yield line as ParsedLine;
    },
  };
}

/**
 * A whole line, `withNewline` its bytes with the newline when it had one: unparsed when `unparsed` asks
 * for it and the line has the form recordLine reads, else parsed; undefined for a blank line.
 */
function lineOf(withNewline: Buffer, terminated: boolean, unparsed: boolean) {
  const end = terminated ? withNewline.length - 1 : withNewline.length;
  const record = unparsed ? recordLine(withNewline, end) : undefined;
  if (record === undefined) return parseLine(withNewline, end);
  const line = terminated ? withNewline : Buffer.concat([withNewline, NEWLINE_BYTE]);
  return { kind: 'record', line, record } satisfies UnparsedRecord;
}

/** The lines each chunk of the input ends (chunks that end none yield nothing), then the unterminated last. */
async function* readChunks(
  input: AsyncIterable<Buffer | string>,
  options: ReadMessagesOptions,
  unparsed: boolean,
): AsyncIterable<(ParsedLine | UnparsedRecord)[]> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = []; // the start of the current line, split over earlier chunks
  let pendingBytes = 0;
  let dropping: Buffer | undefined; // preview of the over-long line being discarded

  const overLong = (): ParsedLine => ({
    kind: 'noise',
    line: dropping!.toString('utf8'),
    reason: `line longer than ${max} bytes`,
  });

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const lines: (ParsedLine | UnparsedRecord)[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      if (dropping) {
        lines.push(overLong());
        dropping = undefined;
      } else if (pendingBytes + (nl - start) > max) {
        dropping = preview([...pending, chunk.subarray(start, nl)]);
        lines.push(overLong());
        dropping = undefined;
      } else {
        const line =
          pendingBytes === 0
            ? chunk.subarray(start, nl + 1)
            : Buffer.concat([...pending, chunk.subarray(start, nl + 1)]);
        const parsed = lineOf(line, true, unparsed);
        if (parsed) lines.push(parsed);
      }
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !dropping) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > max) {
        dropping = preview([...pending, rest]);
        pending = [];
        pendingBytes = 0;
      } else {
        // Copy only when the rest is small: a subarray would pin the whole (possibly large) chunk in memory.
        pending.push(rest.length < chunk.length / 2 ? Buffer.from(rest) : rest);
        pendingBytes += rest.length;
      }
    }
    if (lines.length > 0) yield lines;
  }
  if (dropping) yield [overLong()];
  else if (pendingBytes > 0) {
    const parsed = lineOf(Buffer.concat(pending), false, unparsed);
    if (parsed) yield [parsed];
  }
}
