import type { Call } from '../api/client.ts';
import type { JsonSchema } from '../forms/spec-schema.ts';

export type ActorKind = 'source' | 'destination';

/** A source or a destination as the pages show it, whichever it is. */
export interface Actor {
  id: string;
  name: string;
  definitionId: string;
  /** The connector's name, e.g. "Faker". */
  connector: string;
  configuration: Record<string, unknown>;
}

export interface Definition {
  id: string;
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
}

export interface ActorInput {
  name: string;
  definitionId: string;
  configuration: Record<string, unknown>;
}

/**
 * The operations of one kind behind one shape, so a page is written once for sources and destinations.
 * Each call still goes through the typed caller: the seed's names differ per kind, the pages need not know.
 */
export const actorApi = (call: Call, kind: ActorKind, workspaceId: string) =>
  kind === 'source'
    ? {
        list: async (): Promise<Actor[]> =>
          (await call('listSourcesForWorkspace', { workspaceId })).sources.map((s) => ({
            id: s.sourceId,
            name: s.name,
            definitionId: s.sourceDefinitionId,
            connector: s.sourceName,
            configuration: s.connectionConfiguration as Record<string, unknown>,
          })),
        get: async (id: string): Promise<Actor> => {
          const s = await call('getSource', { sourceId: id });
          return {
            id,
            name: s.name,
            definitionId: s.sourceDefinitionId,
            connector: s.sourceName,
            configuration: s.connectionConfiguration as Record<string, unknown>,
          };
        },
        definitions: async (): Promise<Definition[]> =>
          (await call('listSourceDefinitions')).sourceDefinitions.map((d) => ({
            ...d,
            id: d.sourceDefinitionId,
          })),
        spec: async (definitionId: string) =>
          (await call('getSourceDefinitionSpecification', { sourceDefinitionId: definitionId }))
            .connectionSpecification as JsonSchema,
        create: async (input: ActorInput) =>
          (
            await call('createSource', {
              workspaceId,
              sourceDefinitionId: input.definitionId,
              connectionConfiguration: input.configuration,
              name: input.name,
            })
          ).sourceId,
        update: (id: string, input: ActorInput) =>
          call('updateSource', {
            sourceId: id,
            connectionConfiguration: input.configuration,
            name: input.name,
          }),
        remove: (id: string) => call('deleteSource', { sourceId: id }),
        check: (id: string) => call('checkConnectionToSource', { sourceId: id }),
      }
    : {
        list: async (): Promise<Actor[]> =>
          (await call('listDestinationsForWorkspace', { workspaceId })).destinations.map((d) => ({
            id: d.destinationId,
            name: d.name,
            definitionId: d.destinationDefinitionId,
            connector: d.destinationName,
            configuration: d.connectionConfiguration as Record<string, unknown>,
          })),
        get: async (id: string): Promise<Actor> => {
          const d = await call('getDestination', { destinationId: id });
          return {
            id,
            name: d.name,
            definitionId: d.destinationDefinitionId,
            connector: d.destinationName,
            configuration: d.connectionConfiguration as Record<string, unknown>,
          };
        },
        definitions: async (): Promise<Definition[]> =>
          (await call('listDestinationDefinitions')).destinationDefinitions.map((d) => ({
            ...d,
            id: d.destinationDefinitionId,
          })),
        spec: async (definitionId: string) =>
          (await call('getDestinationDefinitionSpecification', { destinationDefinitionId: definitionId }))
            .connectionSpecification as JsonSchema,
        create: async (input: ActorInput) =>
          (
            await call('createDestination', {
              workspaceId,
              destinationDefinitionId: input.definitionId,
              connectionConfiguration: input.configuration,
              name: input.name,
            })
          ).destinationId,
        update: (id: string, input: ActorInput) =>
          call('updateDestination', {
            destinationId: id,
            connectionConfiguration: input.configuration,
            name: input.name,
          }),
        remove: (id: string) => call('deleteDestination', { destinationId: id }),
        check: (id: string) => call('checkConnectionToDestination', { destinationId: id }),
      };

export const TITLES = {
  source: { one: 'source', many: 'Sources', path: '/sources' },
  destination: { one: 'destination', many: 'Destinations', path: '/destinations' },
} as const;
