import type { ConnectionRead, WorkspaceRead } from '@ferry/contracts';
import type { ActorKind, SealedConfiguration } from '../actor/actor.ts';
import type { DefinitionKind } from '../definition/definition.ts';

/**
 * Read-model documents. Filter fields sit at the top level (the read store filters on them); `revision`
 * is the stream revision the document reflects, returned as the ETag.
 */
export interface WorkspaceDoc extends Record<string, unknown> {
  id: string;
  slug: string;
  revision: number;
  view: WorkspaceRead;
}

export interface DefinitionDoc extends Record<string, unknown> {
  id: string;
  kind: DefinitionKind;
  revision: number;
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl: string | null;
}

export interface ActorDoc extends Record<string, unknown> {
  id: string;
  kind: ActorKind;
  workspaceId: string;
  definitionId: string;
  name: string;
  /** Secrets sealed; masked on the way out. */
  configuration: SealedConfiguration;
  deleted: boolean;
  revision: number;
}

export interface ConnectionDoc extends Record<string, unknown> {
  id: string;
  workspaceId: string;
  sourceId: string;
  destinationId: string;
  status: ConnectionRead['status'];
  revision: number;
  view: ConnectionRead;
}

export const COLLECTION = {
  workspaces: 'workspaces',
  definitions: 'definitions',
  actors: 'actors',
  connections: 'connections',
  apiTokens: 'api_tokens',
} as const;
