import type { ApiTokenRead } from '@ferry/contracts';
import type { EventWithoutMetadata } from '@ferry/event-store';
import type { Projection } from '@ferry/eventsourcing';
import type { ApiTokenEvent } from '../api-token/api-token.ts';
import { COLLECTION } from './read-models.ts';

/** A token as `api_tokens/list` shows it: no salt, no hash. */
export interface ApiTokenDoc extends Record<string, unknown> {
  id: string;
  revision: number;
  view: ApiTokenRead;
}

/**
 * `lastUsedAt` comes from `ApiTokenUsed` events like everything else here, so a rebuild from the log gives
 * the same documents (invariant 2); the decider keeps those events to one a minute per token.
 */
export const apiTokensProjection: Projection<ApiTokenDoc> = {
  name: 'api-tokens',
  collection: COLLECTION.apiTokens,
  handles: new Set(['ApiTokenCreated', 'ApiTokenUsed', 'ApiTokenRevoked']),
  documentId: (event) => (event.data as { tokenId: string }).tokenId,
  evolve(doc, recorded: EventWithoutMetadata) {
    const event = recorded as unknown as ApiTokenEvent;
    const revision = recorded.revision;
    if (event.type === 'ApiTokenCreated') {
      const { tokenId, name, role, createdAt } = event.data;
      const view = { tokenId, name, role, createdAt, lastUsedAt: null, revoked: false };
      return { id: tokenId, revision, view };
    }
    if (!doc) return null;
    if (event.type === 'ApiTokenUsed')
      return { ...doc, revision, view: { ...doc.view, lastUsedAt: event.data.at } };
    return { ...doc, revision, view: { ...doc.view, revoked: true } };
  },
};
