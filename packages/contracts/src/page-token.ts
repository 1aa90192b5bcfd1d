import { createHash } from 'node:crypto';
import { invalid } from './errors.ts';

/**
 * Paging tokens (the pagination extension, ADR 0013) are opaque to clients: the query they continue (as a
 * digest of its filters) and the key the last page stopped after, with a check digest. A token that was
 * altered, cut, made up, or sent with other filters is refused with 422 on `pageToken`. The check is not a
 * secret: a token grants nothing that its filters do not, so one forged with care could only move where a
 * page starts within the caller's own query.
 */
interface Cursor {
  v: 1;
  /** Digest of the filters. */
  q: string;
  /** The key the last page stopped after. */
  after: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

export const queryDigest = (filters: unknown): string => digest(JSON.stringify(filters));

export const pageTokenRefused = (reason: string) =>
  invalid(
    [{ propertyPath: 'pageToken', message: reason, invalidValue: null }],
    `Invalid pageToken: ${reason}`,
  );

/** The tokens of one kind of list: `purpose` keeps a token of one kind from being taken by another. */
export const pageTokens = (purpose: string) => ({
  encode(query: string, after: string): string {
    const body = Buffer.from(JSON.stringify({ v: 1, q: query, after } satisfies Cursor)).toString(
      'base64url',
    );
    return `${body}.${digest(`${purpose}\u0000${body}`)}`;
  },
  /** The key the page starts after. Throws 422 for anything but a token of this query. */
  decode(token: string, query: string): string {
    const [body = '', check, ...rest] = token.split('.');
    if (rest.length > 0 || check !== digest(`${purpose}\u0000${body}`))
      throw pageTokenRefused('not a page token this API gave out');
    let cursor: Partial<Cursor>;
    try {
      cursor = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Cursor>;
    } catch {
      throw pageTokenRefused('not a page token this API gave out');
    }
    if (cursor.v !== 1 || typeof cursor.after !== 'string')
      throw pageTokenRefused('not a page token this API gave out');
    if (cursor.q !== query) throw pageTokenRefused('the token continues a query with other filters');
    return cursor.after;
  },
});
