import { PAGE_SIZE, pageTokens, queryDigest, type RequestOf, type ResponseOf } from '@ferry/contracts';
import { asksForPage } from '@ferry/eventsourcing';
import { changesBetween, masked, summarize, valueAt } from '@ferry/history';
import type { ConfigDeps } from '../handlers/deps.ts';
import { workspaceAsOf } from './as-of.ts';
import { restoreVersion } from './restore.ts';
import { historyOf, versionOf } from './versions.ts';

type Reply<Id extends 'listResourceHistory' | 'getResourceVersion' | 'diffResourceVersions'> = Promise<{
  body: ResponseOf<Id>;
}>;

const historyPageTokens = pageTokens('ferry history page token');

/**
 * Oldest version first. A page asked for (the pagination extension, ADR 0013) is the versions after the
 * one its token names, so versions added between pages neither repeat nor skip one; the stream is read
 * whole either way, as the changes of each version are folded from the events before it.
 */
const listVersions = async (
  deps: ConfigDeps,
  req: RequestOf<'listResourceHistory'>,
): Reply<'listResourceHistory'> => {
  const history = await historyOf(deps, req.resourceId);
  const resource = { resourceType: history.resourceType, resourceId: req.resourceId };
  const versions = history.versions.map((v) => ({
    version: v.version,
    at: v.event.metadata.occurredAt,
    actor: v.event.metadata.actor,
    type: v.type,
    changes: v.changes,
  }));
  if (!asksForPage(req)) return { body: { ...resource, versions } };
  const size = req.pageSize ?? PAGE_SIZE.default;
  const query = queryDigest({ resourceId: req.resourceId });
  const after = req.pageToken == null ? 0 : Number(historyPageTokens.decode(req.pageToken, query));
  const rest = versions.filter((v) => v.version > after);
  if (rest.length <= size) return { body: { ...resource, versions: rest } };
  const page = rest.slice(0, size);
  const nextPageToken = historyPageTokens.encode(query, String(page[size - 1]!.version));
  return { body: { ...resource, versions: page, nextPageToken } };
};

const getVersion = async (
  deps: ConfigDeps,
  req: RequestOf<'getResourceVersion'>,
): Reply<'getResourceVersion'> => {
  const history = await historyOf(deps, req.resourceId);
  const version = versionOf(history, 'version', req.version);
  return {
    body: {
      resourceType: history.resourceType,
      resourceId: req.resourceId,
      version: version.version,
      at: version.event.metadata.occurredAt,
      actor: version.event.metadata.actor,
      deleted: version.deleted,
      resource: masked(version.view) as ResponseOf<'getResourceVersion'>['resource'],
    },
  };
};

/** The resources of the two versions compared field by field, deleted or not; a deletion gets a line too. */
const diffVersions = async (
  deps: ConfigDeps,
  req: RequestOf<'diffResourceVersions'>,
): Reply<'diffResourceVersions'> => {
  const history = await historyOf(deps, req.resourceId);
  const from = versionOf(history, 'from', req.from);
  const to = versionOf(history, 'to', req.to);
  const patch = changesBetween(from.view, to.view);
  const before = masked(from.view);
  const summary = summarize(patch, (path) => valueAt(before, path));
  if (from.deleted !== to.deleted) summary.push(`deleted: ${from.deleted} → ${to.deleted}`);
  return {
    body: {
      resourceType: history.resourceType,
      resourceId: req.resourceId,
      from: from.version,
      to: to.version,
      patch,
      summary,
    },
  };
};

export const historyHandlers = (deps: ConfigDeps) => ({
  listResourceHistory: (req: RequestOf<'listResourceHistory'>) => listVersions(deps, req),
  getResourceVersion: (req: RequestOf<'getResourceVersion'>) => getVersion(deps, req),
  diffResourceVersions: (req: RequestOf<'diffResourceVersions'>) => diffVersions(deps, req),
  restoreResourceVersion: restoreVersion(deps),
  getWorkspaceAsOf: workspaceAsOf(deps),
});
