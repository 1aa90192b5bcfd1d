import { StringDecoder } from 'node:string_decoder';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const S = { fieldStart: 0, unquoted: 1, quoted: 2, quoteInQuoted: 3 } as const;
type ParseState = (typeof S)[keyof typeof S];

/** Index of the next character that ends a run of plain field text. */
function plainRunEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
    i++;
  }
  return i;
}

/** Thrown for input that cannot be CSV, such as a quoted field still open at the end of the input. */
export class CsvError extends Error {
  override name = 'CsvError';
}

/**
 * Streaming RFC 4180 parser: quoted fields with doubled quotes and embedded line breaks, LF or CRLF rows,
 * a leading BOM. Rows are yielded as they complete, so memory is bounded by the longest row. Blank lines
 * are skipped. A stray quote inside an unquoted field is kept as a character, as most writers expect.
 */
export async function* parseCsv(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): AsyncIterable<string[]> {
  let st: ParseState = S.fieldStart;
  let field = '';
  let row: string[] = [];
  let first = true;
  const decoder = new StringDecoder('utf8'); // keeps multibyte characters split across chunks whole
  const endField = () => {
    row.push(field);
    field = '';
  };
  for await (const raw of chunks) {
    let text = typeof raw === 'string' ? raw : decoder.write(raw);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const rows: string[][] = [];
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (st === S.quoted) {
        // Copy the run up to the next quote in one slice.
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          i = text.length;
        } else {
          field += text.slice(i, q);
          st = S.quoteInQuoted;
          i = q + 1;
        }
        continue;
      }
      if (st === S.quoteInQuoted && c === QUOTE) {
        field += '"';
        st = S.quoted;
      } else if (c === COMMA) {
        endField();
        st = S.fieldStart;
      } else if (c === LF) {
        if (st !== S.fieldStart || row.length > 0) {
          endField();
          rows.push(row);
        }
        row = [];
        st = S.fieldStart;
      } else if (c === CR) {
        // dropped outside quotes: CRLF ends a row like LF
      } else if (c === QUOTE && st === S.fieldStart) {
        st = S.quoted;
      } else {
        const end = Math.max(plainRunEnd(text, i), i + 1);
        field += text.slice(i, end);
        st = S.unquoted;
        i = end;
        continue;
      }
      i++;
    }
    yield* rows;
  }
  if (st === S.quoted) throw new CsvError('unterminated quoted field at the end of the input');
  if (st !== S.fieldStart || row.length > 0) {
    endField();
    yield row;
  }
}

/** Parses a whole CSV text (for small inputs and tests). */
export async function parseCsvText(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const r of parseCsv([text])) rows.push(r);
  return rows;
}
