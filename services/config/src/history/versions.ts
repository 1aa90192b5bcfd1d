import { invalid, notFound, type ResourceType } from '@ferry/contracts';
import type { RecordedEvent } from '@ferry/event-store';
import {
  type ResourceLookup,
  type ResourceModel,
  type ResourceVersion,
  resourceVersions,
} from '@ferry/history';
import type { ConfigDeps } from '../handlers/deps.ts';
import { COLLECTION_OF, configResourceModels, HISTORY_CATEGORIES } from './resources.ts';

/** One resource's stream, its model and its versions. */
export interface ResourceHistory {
  category: string;
  model: ResourceModel;
  events: RecordedEvent[];
  versions: ResourceVersion[];
  resourceType: ResourceType;
}

/** Another stream's current document, from the read models (only definitions' names are looked up). */
export const readModelLookup =
  (deps: ConfigDeps): ResourceLookup =>
  (category, id) => {
    const collection = COLLECTION_OF[category];
    return collection ? deps.reads.get(collection, id) : Promise.resolve(null);
  };

/**
 * The history of the resource `resourceId` names, whatever its type: ids are uuids, so at most one of
 * the categories' streams holds it. 404 when none does.
 */
export const historyOf = async (deps: ConfigDeps, resourceId: string): Promise<ResourceHistory> => {
  const streams = await Promise.all(
    HISTORY_CATEGORIES.map((category) => deps.events.readStream(`${category}-${resourceId}`)),
  );
  const index = streams.findIndex((events) => events.length > 0);
  if (index === -1) throw notFound('resource', resourceId);
  const category = HISTORY_CATEGORIES[index]!;
  const model = configResourceModels.get(category)!;
  const events = streams[index]!;
  const versions = await resourceVersions(model, events, readModelLookup(deps));
  const last = versions.at(-1);
  if (!last) throw notFound('resource', resourceId);
  return { category, model, events, versions, resourceType: model.resourceType(last.doc) as ResourceType };
};

/** The version asked for, or 422 naming the field and the versions there are. */
export const versionOf = (history: ResourceHistory, field: string, version: number): ResourceVersion => {
  const found = history.versions.find((v) => v.version === version);
  if (found) return found;
  const count = history.versions.length;
  throw invalid(
    [{ propertyPath: field, message: `must be between 1 and ${count}`, invalidValue: version }],
    `version ${version} is out of range: ${history.resourceType} ${history.events[0]?.streamName.slice(history.category.length + 1)} has versions 1 to ${count}`,
  );
};
