import type { RecordedEvent } from '@ferry/event-store';
import type { Projection } from '@ferry/eventsourcing';
import type { Document } from '@ferry/read-store';
import { mask, SECRET_MASK } from '@ferry/secrets';
import { jsonPatch, type PatchOperation } from './json-patch.ts';

/** What an event did to its resource, as history shows it. */
export type ChangeType = 'created' | 'updated' | 'deleted' | 'restored';

/** Another stream's document a view needs (a source's definition, for its name). */
export type ResourceLookup = (category: string, id: string) => Promise<Document | null>;

/**
 * How one stream category's events read as versions of a resource: its projection folds them into the
 * read model's document, and `view` turns a document into the seed's read model (`SourceRead`, …) with
 * secrets still sealed; history masks them. The config service owns the models of its aggregates and
 * hands them to whoever shows history (itself, the audit trail).
 */
export interface ResourceModel<Doc extends Document = Document> {
  /** The stream category: `source` for `source-<id>`. */
  readonly category: string;
  readonly projection: Projection<Doc>;
  resourceType(doc: Doc): string;
  workspaceId(doc: Doc): string | null;
  /** Deleted (a deprecated connection too): history shows it, lists and `as_of` leave it out. */
  deleted(doc: Doc): boolean;
  view(doc: Doc, lookup: ResourceLookup): Promise<Record<string, unknown>>;
}

/** The models of every category that has them, by category. */
export type ResourceModels = ReadonlyMap<string, ResourceModel>;

/** `SourceCreated` → created, `…Deleted`/`…Deprecated` → deleted, `…Restored` → restored, else updated. */
export const changeTypeOf = (eventType: string): ChangeType => {
  if (eventType.endsWith('Created')) return 'created';
  if (eventType.endsWith('Deleted') || eventType.endsWith('Deprecated')) return 'deleted';
  if (eventType.endsWith('Restored')) return 'restored';
  return 'updated';
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A sealed secret (`{"_ferry_sealed": …}`): masking it whole gives the mask. */
export const isSealed = (value: unknown): boolean =>
  isObject(value) && (mask(value) as unknown) === SECRET_MASK;

/** Any JSON value with every sealed secret in it shown as the mask. */
export const masked = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(masked);
  return isObject(value) ? mask(value) : value;
};

/**
 * The change between two views, masked. Views are compared with their secrets sealed, so a secret that
 * was set again shows as replaced (by the mask) while one sent back masked, and so kept, does not.
 */
export const changesBetween = (
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): PatchOperation[] =>
  jsonPatch(before, after, { isLeaf: isSealed }).map((operation) =>
    operation.op === 'remove' ? operation : { ...operation, value: masked(operation.value) },
  );

/** The category and id of a stream: `source-1b2c…` → [`source`, `1b2c…`]. */
export const streamParts = (streamName: string): [string, string] => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? [streamName, ''] : [streamName.slice(0, dash), streamName.slice(dash + 1)];
};

/** The document after one more event, as a read store would give it back (through JSON). */
export const evolveStored = <Doc extends Document>(
  projection: Projection<Doc>,
  doc: Doc | null,
  event: RecordedEvent,
): Doc | null => {
  if (!projection.handles.has(event.type)) return doc;
  const next = projection.evolve(doc, event);
  return next === null ? null : (JSON.parse(JSON.stringify(next)) as Doc);
};
