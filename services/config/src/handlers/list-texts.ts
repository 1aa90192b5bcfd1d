import { BodyText } from '@ferry/rpc';

/**
 * A list's body from its items' JSON texts: what `JSON.stringify` makes of
 * `{ [field]: items, ...(nextPageToken && { nextPageToken }) }`, the items' texts joined as they stand.
 */
export const listBodyText = <T>(field: string, items: string[], nextPageToken?: string): BodyText<T> => {
  const token = nextPageToken ? `,"nextPageToken":${JSON.stringify(nextPageToken)}` : '';
  // One join of every part: the text is copied once, where joining the items and then wrapping them made
  // a string that was copied again when first read (10,000 items are 23 MB).
  const parts = [`{${JSON.stringify(field)}:[`];
  for (const [i, item] of items.entries()) {
    if (i > 0) parts.push(',');
    parts.push(item);
  }
  parts.push(`]${token}}`);
  return new BodyText<T>(parts.join(''));
};

/**
 * Objects' JSON texts as one object: what `JSON.stringify` makes of `{ ...a, ...b }` when no key is in
 * two of them (a key repeated would be spelled twice here where the spread keeps one).
 */
export const mergedObjectText = (...objects: string[]): string => {
  const inner = objects.map((text) => text.slice(1, -1)).filter((fields) => fields !== '');
  return `{${inner.join(',')}}`;
};
