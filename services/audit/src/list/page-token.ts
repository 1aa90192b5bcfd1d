import { createHash } from 'node:crypto';
import { invalid } from '@ferry/contracts';

/**
 * Paging tokens are opaque to clients: the query they continue (as a digest of its filters) and where it
 * stopped, with a check digest. A token that was altered, cut, made up, or sent with other filters is
 * refused with 422. The check is not a secret: a token grants nothing that its filters do not, so one
 * forged with care could only move where a page starts within the caller's own query.
 */
interface Cursor {
  v: 1;
  /** Digest of the filters. */
  q: string;
  /** The index id the last page stopped after. */
  after: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);
const CHECK = 'ferry audit page token';

export const queryDigest = (filters: unknown): string => digest(JSON.stringify(filters));

export const encodePageToken = (query: string, after: string): string => {
  const body = Buffer.from(JSON.stringify({ v: 1, q: query, after } satisfies Cursor)).toString('base64url');
  return `${body}.${digest(`${CHECK}\u0000${body}`)}`;
};

const refused = (reason: string) =>
  invalid(
    [{ propertyPath: 'pageToken', message: reason, invalidValue: null }],
    `Invalid pageToken: ${reason}`,
  );

/** Where the page starts: after the id the token names. Throws 422 for anything but a token of this query. */
export const decodePageToken = (token: string, query: string, range: { gt: string; lt: string }): string => {
  const [body = '', check, ...rest] = token.split('.');
  if (rest.length > 0 || check !== digest(`${CHECK}\u0000${body}`))
    throw refused('not a page token this API gave out');
  let cursor: Partial<Cursor>;
  try {
    cursor = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw refused('not a page token this API gave out');
  }
  if (cursor.v !== 1 || typeof cursor.after !== 'string') throw refused('not a page token this API gave out');
  if (cursor.q !== query) throw refused('the token continues a query with other filters');
  if (cursor.after < range.gt || cursor.after >= range.lt) throw refused('the token is outside this query');
  return cursor.after;
};
