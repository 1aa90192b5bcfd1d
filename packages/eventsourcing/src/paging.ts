import { PAGE_SIZE, pageTokens, queryDigest } from '@ferry/contracts';
import type { Document, FieldTexts, FindOptions, ReadStore, Scalar } from '@ferry/read-store';

/** The pagination extension's fields of a list request (ADR 0013). */
export interface PageRequest {
  pageSize?: number | null;
  pageToken?: string | null;
}
export interface Page<T> {
  docs: T[];
  /** Absent on the last page, and when the whole list was asked for. */
  nextPageToken?: string;
}

const tokens = pageTokens('ferry list page token');

/** Whether a request asks for a page; without pageSize and pageToken it asks for the whole list. */
export const asksForPage = (page: PageRequest | null | undefined): page is PageRequest =>
  page?.pageSize != null || page?.pageToken != null;

/** How a list reads its items with `find`'s options: each item is (or stands for) one document. */
type ListRead<T extends { id: string }> = (options: FindOptions) => Promise<T[]>;

/**
 * A list's documents. Without pageSize and pageToken the whole list in its usual order (`wholeOrder`, id
 * order when none), as the seed answers it; else keyset paging in id order: at most pageSize documents
 * after the id the token names, read through the id index with one more to know whether a page follows,
 * so a page costs the same however deep it is, and an insert between two pages neither repeats nor skips
 * an item that was there before it. Pages keep to id order whatever the whole list's order is: the id is
 * the one key every read-store adapter can range over.
 */
export const pageOf = <T extends Document>(
  reads: ReadStore,
  collection: string,
  where: Record<string, Scalar | Scalar[]>,
  page: PageRequest | null | undefined,
  wholeOrder?: FindOptions['orderBy'],
): Promise<Page<T>> =>
  pageThrough((options) => reads.find<T>(collection, options), collection, where, page, wholeOrder);

/**
 * `pageOf` for a list answered from the stored texts of some fields of its documents (`findTexts`): the
 * same items, pages and tokens.
 */
export const textPageOf = (
  reads: ReadStore,
  collection: string,
  fields: readonly string[],
  where: Record<string, Scalar | Scalar[]>,
  page: PageRequest | null | undefined,
  wholeOrder?: FindOptions['orderBy'],
): Promise<Page<FieldTexts>> =>
  pageThrough((options) => reads.findTexts(collection, fields, options), collection, where, page, wholeOrder);

const pageThrough = async <T extends { id: string }>(
  read: ListRead<T>,
  collection: string,
  where: Record<string, Scalar | Scalar[]>,
  page: PageRequest | null | undefined,
  wholeOrder?: FindOptions['orderBy'],
): Promise<Page<T>> => {
  if (!asksForPage(page)) return { docs: await read({ where, ...(wholeOrder && { orderBy: wholeOrder }) }) };
  const size = page.pageSize ?? PAGE_SIZE.default;
  const query = queryDigest({ collection, where });
  const after = page.pageToken == null ? undefined : tokens.decode(page.pageToken, query);
  const found = await read({
    where,
    ...(after === undefined ? {} : { idRange: { gt: after } }),
    limit: size + 1,
  });
  if (found.length <= size) return { docs: found };
  const docs = found.slice(0, size);
  return { docs, nextPageToken: tokens.encode(query, docs[size - 1]!.id) };
};

/**
 * Pages a list read whole in an order the read store cannot range over (jobs newest first: numeric ids
 * stored as string keys): the items that `follow` the key the token names, then at most pageSize of them.
 * Only for lists that stay small (one connection's jobs), since each page reads the whole list; an item
 * added between pages lands before the token's key or after it by `follows`, never twice.
 */
export const pageOfOrdered = <T>(
  ordered: T[],
  query: { collection: string; where: Record<string, Scalar | Scalar[]> },
  page: PageRequest,
  keyOf: (item: T) => string,
  follows: (item: T, key: string) => boolean,
): Page<T> => {
  const size = page.pageSize ?? PAGE_SIZE.default;
  const digest = queryDigest(query);
  const after = page.pageToken == null ? undefined : tokens.decode(page.pageToken, digest);
  const rest = after === undefined ? ordered : ordered.filter((item) => follows(item, after));
  if (rest.length <= size) return { docs: rest };
  const docs = rest.slice(0, size);
  return { docs, nextPageToken: tokens.encode(digest, keyOf(docs[size - 1]!)) };
};
