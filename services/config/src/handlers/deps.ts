import { commandContextOf, type OperationClient, type RequestContext } from '@ferry/rpc';
import type { EventStore } from '@ferry/event-store';
import {
  documentAt,
  handleAndProject,
  type Decider,
  type DocumentLocation,
  type DomainEvent,
  type Projection,
  type Projector,
  type RevisionedDocument,
} from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import type { SecretSealer } from '@ferry/secrets';

export interface ConfigDeps {
  events: EventStore;
  reads: ReadStore;
  projector: Projector;
  sealer: SecretSealer;
  call: OperationClient;
  /** Versions and adapters for `/v1/debug`. */
  debugInfo: () => Promise<Record<string, unknown>>;
}

/**
 * Decide and append, then wait until the read models show it (read-your-writes, invariant 3). `ifMatch`:
 * against the revision the caller read. `newStream`: the command starts its stream under an id just made
 * for it, so the stream is not read first (a create saves a read of the log).
 */
export const write = <C, S, E extends DomainEvent>(
  deps: ConfigDeps,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
  { ifMatch = false, newStream = false } = {},
) =>
  handleAndProject(deps.events, deps.projector, stream, decider, command, {
    ...commandContextOf(ctx, ifMatch),
    newStream,
  });

/**
 * The document a command answers with: as its projection made it right after the command's own events
 * (`at.revision`, the command's resulting revision), never a later writer's that the read model may show by
 * the time it is read. Every config document is fed by its own stream only (`documentId` is the stream's id).
 */
export const documentAfter = async <Doc extends RevisionedDocument>(
  deps: ConfigDeps,
  projection: Projection<Doc>,
  at: DocumentLocation,
): Promise<Doc> => {
  const doc = await documentAt(deps, projection, at);
  // The command's own events made the document, so it exists at their revision.
  if (!doc)
    throw new Error(`${at.stream} has no ${projection.collection} document at revision ${at.revision}`);
  return doc;
};

/** A restore: decided against the revision the caller read (`If-Match`), answered with its own document. */
export const restoreAndShow = async <C, S, E extends DomainEvent, Doc extends RevisionedDocument>(
  deps: ConfigDeps,
  projection: Projection<Doc>,
  target: { stream: string; id: string },
  decider: Decider<C, S, E>,
  command: C,
  ctx: RequestContext,
): Promise<Doc> => {
  const { revision } = await write(deps, target.stream, decider, command, ctx, { ifMatch: true });
  return documentAfter(deps, projection, { ...target, revision });
};
