import type { ResponseOf } from '@ferry/contracts';
import type { ActorKind } from '../actor/actor.ts';
import type { DefinitionKind } from '../definition/definition.ts';
import type { ActorDoc, DefinitionDoc } from './read-models.ts';

/** SourceRead or DestinationRead, and their lists, by kind: one shape under each kind's names. */
export interface ActorReadOf {
  source: ResponseOf<'getSource'>;
  destination: ResponseOf<'getDestination'>;
}
export interface ActorListOf {
  source: ResponseOf<'listSourcesForWorkspace'>;
  destination: ResponseOf<'listDestinationsForWorkspace'>;
}
/** SourceDefinitionRead or DestinationDefinitionRead, and their lists, by kind. */
export interface DefinitionReadOf {
  source: ResponseOf<'getSourceDefinition'>;
  destination: ResponseOf<'getDestinationDefinition'>;
}
export interface DefinitionListOf {
  source: ResponseOf<'listSourceDefinitions'>;
  destination: ResponseOf<'listDestinationDefinitions'>;
}

/** An actor document of a known kind, as `actorById` finds it. */
export type ActorDocOf<K extends ActorKind> = ActorDoc & { kind: K };
export const isActorOf = <K extends ActorKind>(doc: ActorDoc, kind: K): doc is ActorDocOf<K> =>
  doc.kind === kind;
export type DefinitionDocOf<K extends DefinitionKind> = DefinitionDoc & { kind: K };
export const isDefinitionOf = <K extends DefinitionKind>(
  doc: DefinitionDoc,
  kind: K,
): doc is DefinitionDocOf<K> => doc.kind === kind;

type Configuration = Record<string, unknown>;
const actorReads: { [K in ActorKind]: (doc: ActorDoc, name: string, c: Configuration) => ActorReadOf[K] } = {
  source: (doc, sourceName, connectionConfiguration) => ({
    sourceDefinitionId: doc.definitionId,
    sourceId: doc.id,
    workspaceId: doc.workspaceId,
    connectionConfiguration,
    name: doc.name,
    sourceName,
  }),
  destination: (doc, destinationName, connectionConfiguration) => ({
    destinationDefinitionId: doc.definitionId,
    destinationId: doc.id,
    workspaceId: doc.workspaceId,
    connectionConfiguration,
    name: doc.name,
    destinationName,
  }),
};

/**
 * SourceRead / DestinationRead of an actor's document, `sourceName` being its definition's name. The
 * configuration is given apart: masked for a get, still sealed where history compares versions.
 */
export const actorRead = <K extends ActorKind>(
  doc: ActorDocOf<K>,
  definitionName: string,
  configuration: Configuration,
): ActorReadOf[K] => actorReads[doc.kind](doc, definitionName, configuration);

const actorIds: { [K in ActorKind]: (read: ActorReadOf[K]) => string } = {
  source: (read) => read.sourceId,
  destination: (read) => read.destinationId,
};
/** `sourceId` or `destinationId`. */
export const actorIdOf = <K extends ActorKind>(kind: K, read: ActorReadOf[K]): string => actorIds[kind](read);

const actorLists: { [K in ActorKind]: (reads: ActorReadOf[K][]) => ActorListOf[K] } = {
  source: (sources) => ({ sources }),
  destination: (destinations) => ({ destinations }),
};
/** SourceReadList / DestinationReadList. */
export const actorList = <K extends ActorKind>(kind: K, reads: ActorReadOf[K][]): ActorListOf[K] =>
  actorLists[kind](reads);

const image = (doc: DefinitionDoc) => ({
  name: doc.name,
  dockerRepository: doc.dockerRepository,
  dockerImageTag: doc.dockerImageTag,
  documentationUrl: doc.documentationUrl,
});
const definitionReads: { [K in DefinitionKind]: (doc: DefinitionDoc) => DefinitionReadOf[K] } = {
  source: (doc) => ({ sourceDefinitionId: doc.id, ...image(doc) }),
  destination: (doc) => ({ destinationDefinitionId: doc.id, ...image(doc) }),
};
/** The API view of a definition: the id under its kind's name. */
export const definitionRead = <K extends DefinitionKind>(doc: DefinitionDocOf<K>): DefinitionReadOf[K] =>
  definitionReads[doc.kind](doc);

const definitionLists: { [K in DefinitionKind]: (reads: DefinitionReadOf[K][]) => DefinitionListOf[K] } = {
  source: (sourceDefinitions) => ({ sourceDefinitions }),
  destination: (destinationDefinitions) => ({ destinationDefinitions }),
};
/** SourceDefinitionReadList / DestinationDefinitionReadList. */
export const definitionList = <K extends DefinitionKind>(
  kind: K,
  reads: DefinitionReadOf[K][],
): DefinitionListOf[K] => definitionLists[kind](reads);
