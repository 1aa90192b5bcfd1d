import type { RecordedEvent } from '@ferry/event-store';
import type { Document } from '@ferry/read-store';
import type { PatchOperation } from './json-patch.ts';
import {
  type ChangeType,
  changesBetween,
  changeTypeOf,
  evolveStored,
  type ResourceLookup,
  type ResourceModel,
} from './resource-model.ts';

/** A resource right after one event of its stream. */
export interface ResourceVersion<Doc extends Document = Document> {
  /** From 1: the stream revision + 1 (the ETag of the answer that made it is `version - 1`). */
  version: number;
  event: RecordedEvent;
  type: ChangeType;
  doc: Doc;
  deleted: boolean;
  /** The seed's read model, secrets still sealed. */
  view: Record<string, unknown>;
  /**
   * JSON Patch from the previous version, masked. The patched document is the view while the resource
   * lives and nothing while it is deleted: a delete removes "" and a restore adds it back whole, so
   * applying the patches of versions 1..n in order gives version n (or nothing, deleted).
   */
  changes: PatchOperation[];
}

/** Each lookup once per call: the versions of one source all name the same definition. */
export const memoized = (lookup: ResourceLookup): ResourceLookup => {
  const seen = new Map<string, Promise<Document | null>>();
  return (category, id) => {
    const key = `${category}-${id}`;
    const known = seen.get(key) ?? lookup(category, id);
    seen.set(key, known);
    return known;
  };
};

/** The document a patch works on: the view while the resource lives, nothing once deleted. */
export const patchedDocument = (
  model: ResourceModel,
  doc: Document | null,
  view: Record<string, unknown> | null,
) => (doc === null || model.deleted(doc) ? null : view);

/**
 * Every version of a resource from its stream's events, oldest first, folded through its model's
 * projection like the read model was (the same pure `evolve`).
 */
export const resourceVersions = async <Doc extends Document>(
  model: ResourceModel<Doc>,
  events: readonly RecordedEvent[],
  lookup: ResourceLookup,
): Promise<ResourceVersion<Doc>[]> => {
  const lookOnce = memoized(lookup);
  const versions: ResourceVersion<Doc>[] = [];
  let doc: Doc | null = null;
  let document: Record<string, unknown> | null = null;
  for (const event of events) {
    const next: Doc | null = evolveStored(model.projection, doc, event);
    if (next === null) continue;
    const view = await model.view(next, lookOnce);
    const nextDocument = patchedDocument(model, next, view);
    versions.push({
      version: event.revision + 1,
      event,
      type: changeTypeOf(event.type),
      doc: next,
      deleted: model.deleted(next),
      view,
      changes: changesBetween(document, nextDocument),
    });
    doc = next;
    document = nextDocument;
  }
  return versions;
};
