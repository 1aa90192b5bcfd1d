import { BodyText } from '@ferry/rpc';

/**
 * A list's body from its items' JSON texts: what `JSON.stringify` makes of
 * `{ [field]: items, ...(nextPageToken && { nextPageToken }) }`, the items' texts joined as they stand.
 */
export const listBodyText = <T>(field: string, items: string[], nextPageToken?: string): BodyText<T> => {
  const token = nextPageToken ? `,"nextPageToken":${JSON.stringify(nextPageToken)}` : '';
  return new BodyText<T>(`{${JSON.stringify(field)}:[${items.join(',')}]${token}}`);
};

/**
 * Objects' JSON texts as one object: what `JSON.stringify` makes of `{ ...a, ...b }` when no key is in
 * two of them (a key repeated would be spelled twice here where the spread keeps one).
 */
export const mergedObjectText = (...objects: string[]): string => {
  const inner = objects.map((text) => text.slice(1, -1)).filter((fields) => fields !== '');
  return `{${inner.join(',')}}`;
};
