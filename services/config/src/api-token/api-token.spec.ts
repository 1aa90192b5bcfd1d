import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, it } from 'vitest';
import { apiTokenDecider, type ApiTokenEvent } from './api-token.ts';

const fields = {
  tokenId: 't1',
  name: 'ci',
  role: 'read' as const,
  salt: 's',
  hash: 'h',
  createdAt: 1_000,
};
const created: ApiTokenEvent = { type: 'ApiTokenCreated', data: fields };
const used = (at: number): ApiTokenEvent => ({ type: 'ApiTokenUsed', data: { tokenId: 't1', at } });
const revoked: ApiTokenEvent = { type: 'ApiTokenRevoked', data: { tokenId: 't1', at: 2_000 } };
const use = (at: number) => ({ type: 'RecordApiTokenUse' as const, data: { tokenId: 't1', at } });
const revoke = { type: 'RevokeApiToken' as const, data: { tokenId: 't1', at: 2_000 } };

describe('apiTokenDecider', () => {
  it('creates a token once; a second create on the same id is a conflict', () => {
    givenEvents(apiTokenDecider, []).when({ type: 'CreateApiToken', data: fields }).thenEmits([created]);
    givenEvents(apiTokenDecider, [created])
      .when({ type: 'CreateApiToken', data: fields })
      .thenFails('conflict');
  });

  it('records a use at most once a minute, so a busy token does not flood the log', () => {
    givenEvents(apiTokenDecider, [created])
      .when(use(1_010))
      .thenEmits([used(1_010)]);
    givenEvents(apiTokenDecider, [created, used(1_010)])
      .when(use(1_069))
      .thenEmits([]);
    givenEvents(apiTokenDecider, [created, used(1_010)])
      .when(use(1_070))
      .thenEmits([used(1_070)]);
  });

  it('revokes once; revoking again is harmless, and a revoked token records no use', () => {
    givenEvents(apiTokenDecider, [created]).when(revoke).thenEmits([revoked]);
    givenEvents(apiTokenDecider, [created, revoked]).when(revoke).thenEmits([]);
    givenEvents(apiTokenDecider, [created, revoked]).when(use(3_000)).thenEmits([]);
  });

  it('an unknown token can be neither used nor revoked', () => {
    givenEvents(apiTokenDecider, []).when(revoke).thenFails('api_token.not_found');
    givenEvents(apiTokenDecider, []).when(use(1)).thenFails('api_token.not_found');
  });
});
