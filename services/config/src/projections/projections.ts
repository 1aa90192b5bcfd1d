import type { EventWithoutMetadata } from '@ferry/event-store';
import type { Projection } from '@ferry/eventsourcing';
import type { ActorEvent } from '../actor/actor.ts';
import type { ConnectionEvent } from '../connection/connection.ts';
import { namespacingOf } from '../connection/schema.ts';
import type { DefinitionEvent } from '../definition/definition.ts';
import type { WorkspaceEvent } from '../workspace/workspace.ts';
import { apiTokensProjection } from './api-tokens.ts';
import {
  COLLECTION,
  type ActorDoc,
  type ConnectionDoc,
  type DefinitionDoc,
  type WorkspaceDoc,
} from './read-models.ts';

/** The typed view of a recorded event, for projections whose stream category fixes its union. */
const as = <E>(event: EventWithoutMetadata) => event as unknown as E & EventWithoutMetadata;
const byStreamId = (event: EventWithoutMetadata) => event.streamName.slice(event.streamName.indexOf('-') + 1);

export const workspacesProjection: Projection<WorkspaceDoc> = {
  name: 'workspaces',
  collection: COLLECTION.workspaces,
  handles: new Set(['WorkspaceCreated', 'WorkspaceUpdated', 'WorkspaceRestored']),
  documentId: byStreamId,
  evolve(doc, recorded) {
    const event = as<WorkspaceEvent>(recorded);
    if (event.type === 'WorkspaceCreated') {
      const d = event.data;
      const view = {
        workspaceId: d.workspaceId,
        customerId: d.customerId,
        name: d.name,
        slug: d.slug,
        initialSetupComplete: d.initialSetupComplete,
        onboardingComplete: d.onboardingComplete,
      };
      return { id: d.workspaceId, slug: d.slug, revision: recorded.revision, view };
    }
    if (!doc) return null;
    const d = event.data;
    const view = {
      ...doc.view,
      initialSetupComplete: d.initialSetupComplete,
      onboardingComplete: d.onboardingComplete,
    };
    return { ...doc, revision: recorded.revision, view };
  },
};

export const definitionsProjection: Projection<DefinitionDoc> = {
  name: 'definitions',
  collection: COLLECTION.definitions,
  handles: new Set(['DefinitionCreated', 'DefinitionImageUpdated', 'DefinitionRestored']),
  documentId: byStreamId,
  evolve(doc, recorded) {
    const event = as<DefinitionEvent>(recorded);
    if (event.type === 'DefinitionCreated') {
      const { definitionId, ...rest } = event.data;
      return { id: definitionId, ...rest, revision: recorded.revision };
    }
    return doc && { ...doc, dockerImageTag: event.data.dockerImageTag, revision: recorded.revision };
  },
};

export const actorsProjection: Projection<ActorDoc> = {
  name: 'actors',
  collection: COLLECTION.actors,
  handles: new Set(['ActorCreated', 'ActorUpdated', 'ActorDeleted', 'ActorSecretsResealed', 'ActorRestored']),
  documentId: byStreamId,
  evolve(doc, recorded) {
    const event = as<ActorEvent>(recorded);
    switch (event.type) {
      case 'ActorCreated': {
        const d = event.data;
        return {
          id: d.actorId,
          kind: d.kind,
          workspaceId: d.workspaceId,
          definitionId: d.definitionId,
          name: d.name,
          configuration: d.configuration,
          deleted: false,
          revision: recorded.revision,
        };
      }
      case 'ActorUpdated':
        return (
          doc && {
            ...doc,
            name: event.data.name,
            configuration: event.data.configuration,
            revision: recorded.revision,
          }
        );
      case 'ActorDeleted':
        return doc && { ...doc, deleted: true, revision: recorded.revision };
      case 'ActorSecretsResealed':
        return doc && { ...doc, configuration: event.data.configuration, revision: recorded.revision };
      case 'ActorRestored': {
        const { name, configuration } = event.data;
        return doc && { ...doc, name, configuration, deleted: false, revision: recorded.revision };
      }
    }
  },
};

export const connectionsProjection: Projection<ConnectionDoc> = {
  name: 'connections',
  collection: COLLECTION.connections,
  handles: new Set(['ConnectionCreated', 'ConnectionUpdated', 'ConnectionDeprecated', 'ConnectionRestored']),
  // The catalog, most of a connection's bytes, is only copied into the view: a replay leaves it unparsed.
  textFields: {
    ConnectionCreated: ['syncSchema'],
    ConnectionUpdated: ['syncSchema'],
    ConnectionRestored: ['syncSchema'],
  },
  documentId: byStreamId,
  evolve(doc, recorded) {
    const event = as<ConnectionEvent>(recorded);
    if (event.type === 'ConnectionCreated') {
      const { workspaceId, ...view } = event.data;
      return {
        id: view.connectionId,
        workspaceId,
        sourceId: view.sourceId,
        destinationId: view.destinationId,
        status: view.status,
        revision: recorded.revision,
        view,
      };
    }
    if (!doc) return null;
    const view: ConnectionDoc['view'] =
      event.type === 'ConnectionUpdated' || event.type === 'ConnectionRestored'
        ? {
            ...doc.view,
            syncSchema: event.data.syncSchema,
            status: event.data.status,
            schedule: event.data.schedule,
            scheduleType: event.data.scheduleType,
            scheduleData: event.data.scheduleData,
            // The namespace rule (extensions) changes only when an update names it.
            ...namespacingOf(event.data),
          }
        : { ...doc.view, status: 'deprecated' };
    return { ...doc, status: view.status, revision: recorded.revision, view };
  },
};

export const configProjections = [
  workspacesProjection,
  definitionsProjection,
  actorsProjection,
  connectionsProjection,
  apiTokensProjection,
];
