import { API_TOKEN_STREAM_CATEGORY } from '@ferry/contracts';
import type { ResourceModel, ResourceModels } from '@ferry/history';
import type { Document } from '@ferry/read-store';
import { definitionView } from '../handlers/definitions.ts';
import { apiTokensProjection, type ApiTokenDoc } from '../projections/api-tokens.ts';
import {
  actorsProjection,
  connectionsProjection,
  definitionsProjection,
  workspacesProjection,
} from '../projections/projections.ts';
import type { ActorDoc, ConnectionDoc, DefinitionDoc, WorkspaceDoc } from '../projections/read-models.ts';
import { actorRead } from '../projections/views.ts';

/**
 * How the config service's streams read as versions of resources: folded through the same projections
 * as the read models, viewed as the seed's read models (secrets still sealed; history masks them). The
 * config service shows history with them, and the audit trail gets them at the composition root.
 */
const workspaceModel: ResourceModel<WorkspaceDoc> = {
  category: 'workspace',
  projection: workspacesProjection,
  resourceType: () => 'workspace',
  workspaceId: (doc) => doc.id,
  deleted: () => false,
  view: async (doc) => doc.view,
};

const definitionModel: ResourceModel<DefinitionDoc> = {
  category: 'definition',
  projection: definitionsProjection,
  resourceType: (doc) => `${doc.kind}_definition`,
  workspaceId: () => null,
  deleted: () => false,
  view: async (doc) => definitionView(doc),
};

/** Definitions are never renamed: the name looked up now is the one the source had then. */
const actorModel = (kind: 'source' | 'destination'): ResourceModel<ActorDoc> => ({
  category: kind,
  projection: actorsProjection,
  resourceType: () => kind,
  workspaceId: (doc) => doc.workspaceId,
  deleted: (doc) => doc.deleted,
  view: async (doc, lookup) => {
    const definition = await lookup('definition', doc.definitionId);
    return actorRead(doc, typeof definition?.name === 'string' ? definition.name : '', doc.configuration);
  },
});

/** "Deleted" is deprecated for a connection: it stays readable, but off for good until restored. */
const connectionModel: ResourceModel<ConnectionDoc> = {
  category: 'connection',
  projection: connectionsProjection,
  resourceType: () => 'connection',
  workspaceId: (doc) => doc.workspaceId,
  deleted: (doc) => doc.status === 'deprecated',
  view: async (doc) => doc.view,
};

/** Only for the audit trail (no history endpoint serves tokens): no salt, no hash. */
const apiTokenModel: ResourceModel<ApiTokenDoc> = {
  category: API_TOKEN_STREAM_CATEGORY,
  projection: apiTokensProjection,
  resourceType: () => 'api_token',
  workspaceId: () => null,
  deleted: (doc) => doc.view.revoked,
  view: async (doc) => doc.view,
};

const models = [
  workspaceModel,
  definitionModel,
  actorModel('source'),
  actorModel('destination'),
  connectionModel,
  apiTokenModel,
] as ResourceModel<Document>[];

export const configResourceModels: ResourceModels = new Map(models.map((m) => [m.category, m]));

/** The categories history/* answers for, in the order a resource id is looked for. */
export const HISTORY_CATEGORIES = ['source', 'destination', 'connection', 'workspace', 'definition'] as const;

/** The read-model collection holding a category's current documents (for lookups). */
export const COLLECTION_OF: Record<string, string> = {
  workspace: 'workspaces',
  definition: 'definitions',
  source: 'actors',
  destination: 'actors',
  connection: 'connections',
};
