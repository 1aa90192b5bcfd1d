import { pageTokenRefused, pageTokens } from '@ferry/contracts';

export { queryDigest } from '@ferry/contracts';

// The audit trail's own purpose string, as before the codec moved to the contract: tokens given out
// earlier stay valid.
const tokens = pageTokens('ferry audit page token');

export const encodePageToken = tokens.encode;

/** Where the page starts: after the id the token names. Throws 422 for anything but a token of this query. */
export const decodePageToken = (token: string, query: string, range: { gt: string; lt: string }): string => {
  const after = tokens.decode(token, query);
  if (after < range.gt || after >= range.lt) throw pageTokenRefused('the token is outside this query');
  return after;
};
