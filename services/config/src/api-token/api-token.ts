import { API_TOKEN_STREAM_CATEGORY, conflict, notFound, type ApiTokenRole } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/** A use is recorded at most this often per token: every request as an event would flood the log. */
export const USE_RECORDED_EVERY_SECONDS = 60;

export interface ApiTokenFields {
  tokenId: string;
  name: string;
  role: ApiTokenRole;
  /** scrypt of the token's SHA-256 digest with this token's own salt (`hashing.ts`); never the token. */
  salt: string;
  hash: string;
  /** Epoch seconds. */
  createdAt: number;
}

export type ApiTokenCommand =
  | { type: 'CreateApiToken'; data: ApiTokenFields }
  | { type: 'RecordApiTokenUse'; data: { tokenId: string; at: number } }
  | { type: 'RevokeApiToken'; data: { tokenId: string; at: number } };

export type ApiTokenEvent =
  | { type: 'ApiTokenCreated'; data: ApiTokenFields }
  | { type: 'ApiTokenUsed'; data: { tokenId: string; at: number } }
  | { type: 'ApiTokenRevoked'; data: { tokenId: string; at: number } };

type Known = ApiTokenFields & { lastUsedAt: number | null };
export type ApiTokenState =
  | { status: 'absent' }
  | ({ status: 'active' } & Known)
  | ({ status: 'revoked' } & Known);

export const apiTokenStream = (id: string) => `${API_TOKEN_STREAM_CATEGORY}-${id}`;

const recentlyUsed = (lastUsedAt: number | null, at: number) =>
  lastUsedAt !== null && at - lastUsedAt < USE_RECORDED_EVERY_SECONDS;

export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenState, ApiTokenEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateApiToken':
        // Ids are random and the secret is shown once: a second create on one id is a defect, not a retry.
        if (state.status !== 'absent') throw conflict(`api token ${command.data.tokenId} exists`);
        return [{ type: 'ApiTokenCreated', data: command.data }];
      case 'RecordApiTokenUse':
        if (state.status === 'absent') throw notFound('api_token', command.data.tokenId);
        // A use racing a revoke records nothing; a use within the minute is already told by the last one.
        if (state.status === 'revoked' || recentlyUsed(state.lastUsedAt, command.data.at)) return [];
        return [{ type: 'ApiTokenUsed', data: command.data }];
      case 'RevokeApiToken':
        if (state.status === 'absent') throw notFound('api_token', command.data.tokenId);
        if (state.status === 'revoked') return [];
        return [{ type: 'ApiTokenRevoked', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ApiTokenCreated':
        return { status: 'active', ...event.data, lastUsedAt: null };
      case 'ApiTokenUsed':
        return state.status === 'absent' ? state : { ...state, lastUsedAt: event.data.at };
      case 'ApiTokenRevoked':
        return state.status === 'absent' ? state : { ...state, status: 'revoked' };
      default:
        return exhaustive(event);
    }
  },
};
