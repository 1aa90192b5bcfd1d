/**
 * The audit trail's index: every entry is filed under a few keys (everything, its resource, its workspace,
 * its actor, its type), each as a small document whose id is `<key>|<newest-first suffix>`. Ids are the one
 * thing every read store keeps in order, so the entries of one key, newest first, are a range of ids read
 * through that index (`idRange`), and a time window is a narrower range: no scan, whatever the log's size.
 */

/** Both stay below 2^53: 10^16 would not (its neighbours round), and two positions would share an id. */
const TIME_DIGITS = 15;
const POSITION_DIGITS = 15;

/** Larger values sort first: 10^n - 1 - value, zero-padded. */
const inverted = (value: number, digits: number) => String(10 ** digits - 1 - value).padStart(digits, '0');

export type IndexKind = 'all' | 'resource' | 'workspace' | 'actor' | 'type';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Values are URI-encoded, so no value can contain the `|` that ends a key (a lone surrogate, which has no
 * encoding, becomes U+FFFD: two such values share a key, and the list's own filters tell them apart).
 */
export const indexKey = (kind: IndexKind, value = ''): string =>
  kind === 'all' ? '*' : `${kind[0]}:${encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'))}`;

/** Newest first by decision time, then by log position. */
export const indexId = (key: string, atMs: number, position: number): string =>
  `${key}|${inverted(atMs, TIME_DIGITS)}${inverted(position, POSITION_DIGITS)}`;

/**
 * The ids of `key` from `to` back to `from` (both inclusive, epoch ms): every id of an entry decided at
 * `t` starts with `key|inverted(t)` and goes on with digits, which sort before `~`.
 */
export const keyRange = (key: string, window: { fromMs?: number; toMs?: number }) => ({
  gt: window.toMs === undefined ? `${key}|` : `${key}|${inverted(window.toMs, TIME_DIGITS)}`,
  lt: window.fromMs === undefined ? `${key}|~` : `${key}|${inverted(window.fromMs, TIME_DIGITS)}~`,
});
