import type { RecordedEvent } from '@ferry/event-store';
import type { Projection } from '@ferry/eventsourcing';
import {
  changesBetween,
  evolveStored,
  patchedDocument,
  type ResourceLookup,
  type ResourceModel,
  type ResourceModels,
  streamParts,
} from '@ferry/history';
import type { Document } from '@ferry/read-store';
import { type IndexKind, indexId, indexKey } from './keys.ts';

export const COLLECTIONS = {
  /** One entry per event, with its changes: what `audit/list` answers. */
  entries: 'audit_entries',
  /** The index of the entries (see keys.ts): small documents, without the changes. */
  index: 'audit_index',
  /** Each stream's resource as the trail last saw it, to tell what the next event changed. */
  resources: 'audit_resources',
} as const;

/** What `audit/list` answers for an event, `changes` aside. */
export interface IndexedEntry extends Document {
  entry: string;
  position: number;
  at: string;
  actor: string;
  resourceType: string;
  resourceId: string;
  workspaceId: string | null;
  type: string;
  correlationId: string;
}

/** A stream's resource in the trail: the model's document, and the log position it reflects. */
export interface ResourceState extends Document {
  position: number;
  doc: Document;
}

/**
 * The resource of a category without a model (jobs, schedules, connection state): the fields of its
 * events, merged in order. Its changes say which event fields changed; `workspaceId` when one carries it.
 */
export const mergedDataModel = (category: string): ResourceModel => {
  const projection: Projection = {
    name: category,
    collection: category,
    handles: { has: () => true } as unknown as ReadonlySet<string>,
    documentId: (event) => streamParts(event.streamName)[1],
    evolve: (doc, event) => ({ ...(doc ?? { id: streamParts(event.streamName)[1] }), ...event.data }),
  };
  return {
    category,
    projection,
    resourceType: () => category,
    workspaceId: (doc) => (typeof doc.workspaceId === 'string' ? doc.workspaceId : null),
    deleted: () => false,
    view: async ({ id: _id, ...fields }) => fields,
  };
};

export interface TrailStep {
  entry: IndexedEntry & { changes: unknown[] };
  index: IndexedEntry[];
  state: ResourceState;
}

/** The entry of one event, its index documents and the resource after it, from the resource before it. */
export const trailStep = async (
  event: RecordedEvent,
  before: ResourceState | null,
  models: ResourceModels,
  lookup: ResourceLookup,
): Promise<TrailStep> => {
  const [category, resourceId] = streamParts(event.streamName);
  const model = models.get(category) ?? mergedDataModel(category);
  const previous = before?.doc ?? null;
  const doc = evolveStored(model.projection, previous, event) ?? previous;
  const viewOf = async (d: Document | null) =>
    d ? patchedDocument(model, d, await model.view(d, lookup)) : null;
  const changes = changesBetween(await viewOf(previous), await viewOf(doc));
  const workspaceId = doc ? model.workspaceId(doc) : null;
  const summary = {
    entry: event.id,
    position: event.position,
    at: event.metadata.occurredAt,
    actor: event.metadata.actor,
    resourceType: doc ? model.resourceType(doc) : category,
    resourceId,
    workspaceId,
    type: event.type,
    correlationId: event.metadata.correlationId,
  };
  const keys: [IndexKind, string][] = [
    ['all', ''],
    ['resource', resourceId],
    ['actor', summary.actor],
    ['type', event.type],
  ];
  if (workspaceId) keys.push(['workspace', workspaceId]);
  const atMs = Date.parse(summary.at);
  return {
    entry: { id: event.id, ...summary, changes },
    index: keys.map(([kind, value]) => ({
      id: indexId(indexKey(kind, value), atMs, event.position),
      ...summary,
    })),
    state: { id: event.streamName, position: event.position, doc: doc ?? { id: resourceId } },
  };
};
