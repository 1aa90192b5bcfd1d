import { BodyText, StreamedBodyText } from '@ferry/rpc';

/** A JSON text in parts (`BodyText`): their concatenation is the text. */
export type TextParts = readonly string[];

/**
 * A list's body from its items' JSON texts (each whole, or in parts): what `JSON.stringify` makes of
 * `{ [field]: items, ...(nextPageToken && { nextPageToken }) }`, the items' texts as they stand.
 */
export const listBodyText = <T>(
  field: string,
  items: ReadonlyArray<string | TextParts>,
  nextPageToken?: string,
): BodyText<T> => {
  const token = nextPageToken ? `,"nextPageToken":${JSON.stringify(nextPageToken)}` : '';
  // In parts, not joined: a gateway in this process streams them (10,000 items are 23 MB, which one string
  // and its UTF-8 copy for the socket would hold twice over).
  const parts = [listHead(field)];
  pushItems(parts, items, false);
  parts.push(`]${token}}`);
  return new BodyText<T>(parts);
};

/**
 * A whole list's body from its items' texts read a slice at a time (`StreamedBodyText`): the text
 * `listBodyText` makes of them all, made as the gateway sends it. `slices` gives each slice's items, in
 * order, and is read as the body is.
 */
export const streamedListBodyText = <T>(
  field: string,
  slices: AsyncIterable<ReadonlyArray<string | TextParts>>,
): StreamedBodyText<T> =>
  new StreamedBodyText<T>(async function* () {
    yield [listHead(field)];
    let more = false;
    for await (const items of slices) {
      const parts: string[] = [];
      pushItems(parts, items, more);
      more ||= items.length > 0;
      yield parts;
    }
    yield [']}'];
  });

const listHead = (field: string) => `{${JSON.stringify(field)}:[`;

/**
 * The items' texts onto `parts`, a comma before each but the list's first (`after`: items came before).
 * The commas are parts of their own, so each item stays the string it was (`,` + item would make a new
 * string of each to be flattened when sent).
 */
const pushItems = (parts: string[], items: ReadonlyArray<string | TextParts>, after: boolean) => {
  for (const [i, item] of items.entries()) {
    if (after || i > 0) parts.push(',');
    if (typeof item === 'string') parts.push(item);
    else parts.push(...item);
  }
};

/**
 * Objects' JSON texts as one object, in parts: what `JSON.stringify` makes of `{ ...a, ...b }` when no key
 * is in two of them (a key repeated would be spelled twice here where the spread keeps one). Each object's
 * fields are a slice of its text, which V8 makes without copying it.
 */
export const mergedObjectParts = (...objects: string[]): TextParts => {
  const parts = ['{'];
  for (const text of objects) {
    if (text.length <= 2) continue; // `{}`
    if (parts.length > 1) parts.push(',');
    parts.push(text.slice(1, -1));
  }
  parts.push('}');
  return parts;
};
