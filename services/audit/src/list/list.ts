import { type AuditEntry, invalid, type RequestOf, type ResponseOf } from '@ferry/contracts';
import type { ReadStore } from '@ferry/read-store';
import { COLLECTIONS, type IndexedEntry } from '../trail/entry.ts';
import { type IndexKind, indexKey, keyRange } from '../trail/keys.ts';
import { decodePageToken, encodePageToken, queryDigest } from './page-token.ts';

type Request = RequestOf<'listAuditEntries'>;

export const DEFAULT_PAGE_SIZE = 100;
/**
 * How many index documents one call reads at most. Filters beyond the one the index answers (a type
 * under a resource, say) are checked entry by entry: past this many, the page ends early, shorter than
 * asked, with a token to go on, so no call takes long whatever the filters.
 */
export const SCAN_LIMIT = 5_000;
const BATCH = 500;

/** The most selective filter the index answers; the rest are checked on each entry. */
const keyOf = (request: Request): [IndexKind, string] => {
  if (request.resourceId) return ['resource', request.resourceId];
  if (request.workspaceId) return ['workspace', request.workspaceId];
  if (request.actor) return ['actor', request.actor];
  if (request.types?.length === 1) return ['type', request.types[0]!];
  return ['all', ''];
};

const matches = (request: Request, entry: IndexedEntry) =>
  (!request.resourceId || entry.resourceId === request.resourceId) &&
  (!request.workspaceId || entry.workspaceId === request.workspaceId) &&
  (!request.actor || entry.actor === request.actor) &&
  (!request.types || request.types.includes(entry.type));

const epochMs = (time: string | null | undefined) => (time ? Date.parse(time) : undefined);

const window = (request: Request) => {
  const fromMs = epochMs(request.from);
  const toMs = epochMs(request.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs)
    throw invalid([{ propertyPath: 'from', message: 'from is after to', invalidValue: request.from }]);
  return { fromMs, toMs };
};

/** The filters a page token is bound to: everything but the page size and the token itself. */
const filtersOf = (request: Request) => ({
  workspaceId: request.workspaceId ?? null,
  resourceId: request.resourceId ?? null,
  actor: request.actor ?? null,
  types: request.types ? [...request.types].sort() : null,
  from: request.from ? Date.parse(request.from) : null,
  to: request.to ? Date.parse(request.to) : null,
});

const answerOf = (entry: IndexedEntry, changes: unknown): AuditEntry => ({
  id: entry.entry,
  position: entry.position,
  at: entry.at,
  actor: entry.actor,
  resourceType: entry.resourceType,
  resourceId: entry.resourceId,
  workspaceId: entry.workspaceId,
  type: entry.type,
  correlationId: entry.correlationId,
  changes: changes as AuditEntry['changes'],
});

/** `audit/list`: newest first, through the trail's index (trail/keys.ts). */
export const listAuditEntries = async (
  reads: ReadStore,
  request: Request,
): Promise<ResponseOf<'listAuditEntries'>> => {
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  const range = keyRange(indexKey(...keyOf(request)), window(request));
  const query = queryDigest(filtersOf(request));
  let after = request.pageToken ? decodePageToken(request.pageToken, query, range) : range.gt;
  const found: IndexedEntry[] = [];
  let scanned = 0;
  let more = true;
  while (found.length < pageSize && scanned < SCAN_LIMIT && more) {
    const limit = Math.min(BATCH, SCAN_LIMIT - scanned, pageSize - found.length + 1);
    const batch = await reads.find<IndexedEntry>(COLLECTIONS.index, {
      idRange: { gt: after, lt: range.lt },
      limit,
    });
    more = batch.length === limit;
    for (const entry of batch) {
      if (found.length === pageSize) {
        // Read beyond the page: there is more, and the page ends before it.
        more = true;
        break;
      }
      scanned++;
      after = entry.id;
      if (matches(request, entry)) found.push(entry);
    }
  }
  const entries = await Promise.all(
    found.map(async (entry) => {
      const full = await reads.get<{ id: string; changes: unknown }>(COLLECTIONS.entries, entry.entry);
      return answerOf(entry, full?.changes ?? []);
    }),
  );
  return more ? { entries, nextPageToken: encodePageToken(query, after) } : { entries };
};
