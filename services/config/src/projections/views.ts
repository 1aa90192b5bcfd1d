import type { ActorDoc } from './read-models.ts';

/**
 * SourceRead / DestinationRead of an actor's document, `sourceName` being its definition's name. The
 * configuration is given apart: masked for a get, still sealed where history compares versions.
 */
export const actorRead = (doc: ActorDoc, definitionName: string, configuration: Record<string, unknown>) => ({
  [`${doc.kind}DefinitionId`]: doc.definitionId,
  [`${doc.kind}Id`]: doc.id,
  workspaceId: doc.workspaceId,
  connectionConfiguration: configuration,
  name: doc.name,
  [`${doc.kind}Name`]: definitionName,
});
