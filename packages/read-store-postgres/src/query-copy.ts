/**
 * An escape in JSON text: a NUL, a UTF-16 surrogate (a high one with the low one after it, if any), or any
 * other escape, matched whole so that `\\u0000` (an escaped backslash, then `u0000`) is never read as a NUL.
 */
const jsonEscape = /\\(?:u0000|ud[89ab][0-9a-f]{2}(?:\\ud[c-f][0-9a-f]{2})?|ud[c-f][0-9a-f]{2}|.)/gi;

/** U+FFFD, the replacement character: what Unicode puts where a character cannot be represented. */
const replacement = '\\ufffd';

/**
 * The text of the `jsonb` copy that queries compare and sort on, for a document's exact JSON text, or null
 * when the exact text serves as it is (nearly always).
 *
 * jsonb cannot hold a NUL (`\u0000`) or a lone surrogate (`\ud800`), both valid JSON text that
 * `JSON.stringify` writes: a client can put either into a name, and the commit storing it would fail, and
 * with it the projection, forever. So in the copy each becomes U+FFFD: the document still comes back
 * exactly (from the exact text), but `where` and `orderBy` see that field with U+FFFD in their place.
 */
export function queryCopy(json: string): string | null {
  if (!json.includes('\\u')) return null;
  let replaced = false;
  const copy = json.replace(jsonEscape, (match) => {
    const lone = match.length === 6 && /^\\u(0000|d)/i.test(match);
    replaced ||= lone;
    return lone ? replacement : match;
  });
  return replaced ? copy : null;
}

/** `queryCopy`, or the exact text itself: for values a query compares with the copy. */
export const queryable = (json: string): string => queryCopy(json) ?? json;
