/**
 * A JSON value held as its text, exactly as `JSON.stringify` writes the value: a projection that only
 * copies a field of an event into its document (a connection's catalog) can be handed the field unparsed
 * (`Projection.textFields`), and the document's JSON then takes the text as it is (`documentJson`),
 * so a replay neither parses the field nor serialises it again. Stored, it is the value itself: a read
 * gives the parsed value, as if the document had held it.
 */
export class JsonText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** Stands in for the text while `documentJson` serialises; `JSON.stringify` alone gives the marker. */
  toJSON(): string {
    spliced.push(this.text);
    return MARKER;
  }
}

// A string no document holds in practice; if one does, `documentJson` counts more markers than texts
// and serialises the slow, exact way instead.
const MARKER = '\u0000ferry:json-text\u0000';
const QUOTED_MARKER = JSON.stringify(MARKER);
let spliced: string[] = [];

/**
 * A document's JSON text as `JSON.stringify` writes it, its `JsonText` values written as their texts
 * (the same bytes as `JSON.stringify` of the document holding the parsed values).
 */
export function documentJson(doc: unknown): string {
  spliced = [];
  const json = JSON.stringify(doc);
  if (spliced.length === 0) return json;
  const texts = spliced;
  spliced = [];
  const parts = json.split(QUOTED_MARKER);
  if (parts.length !== texts.length + 1) return JSON.stringify(doc, parsedTexts);
  let out = parts[0]!;
  for (let i = 0; i < texts.length; i += 1) out += texts[i]! + parts[i + 1]!;
  return out;
}

function parsedTexts(this: unknown, key: string, value: unknown): unknown {
  const own = (this as Record<string, unknown>)[key];
  return own instanceof JsonText ? JSON.parse(own.text) : value;
}
