import { JsonText } from '@ferry/read-store';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

/** Just past the string whose opening quote is at `at`: its closing quote is the first not escaped. */
function stringEnd(text: string, at: number): number {
  for (let quote = text.indexOf('"', at + 1); ; quote = text.indexOf('"', quote + 1)) {
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes += 1;
    if (slashes % 2 === 0) return quote + 1;
  }
}

/** Just past the value starting at `at`, in text without whitespace between tokens. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  let depth = 0;
  for (let i = at; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth += 1;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === 0) return i; // the end of a number or literal, at its object's end
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (c === COMMA && depth === 0) return i;
    i += 1;
  }
  return text.length;
}

/**
 * `JSON.parse` of an event's data, except that the top-level `fields` come as `JsonText`, their text
 * unparsed, in their place among the keys. It relies on the text being `JSON.stringify`'s (no whitespace
 * between tokens, which the log's appends write), so that each field's text is also the one
 * `JSON.stringify` gives for its parsed value. Finding a field's end costs a walk over its text, about
 * half of what parsing it costs.
 */
export function parseWithTexts(text: string, fields: readonly string[]): unknown {
  if (text.charCodeAt(0) !== OPEN_OBJECT) return JSON.parse(text);
  let rest = '';
  let restFrom = 0;
  const texts: Array<[string, string]> = [];
  for (let at = 1; text.charCodeAt(at) === QUOTE; ) {
    const keyEnd = stringEnd(text, at);
    const valueStart = keyEnd + 1; // past the colon
    const end = valueEnd(text, valueStart);
    const key = text.slice(at + 1, keyEnd - 1);
    if (fields.includes(key)) {
      // A 0 keeps the key's place, so the parsed object has its keys in the text's order.
      rest += `${text.slice(restFrom, valueStart)}0`;
      restFrom = end;
      texts.push([key, text.slice(valueStart, end)]);
    }
    at = end + 1; // past the comma (or the closing brace, where the loop ends)
  }
  if (texts.length === 0) return JSON.parse(text);
  const data = JSON.parse(rest + text.slice(restFrom)) as Record<string, unknown>;
  for (const [key, value] of texts) data[key] = new JsonText(value);
  return data;
}
