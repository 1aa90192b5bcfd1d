import { z } from 'zod';
import { int64, optional, uuid } from './common.ts';
import { pageResponseFields } from './paging.ts';

/** Extension (ADR 0009): what a token may do. `admin` everything; `read` only operations that read. */
export const ApiTokenRole = z.enum(['admin', 'read']).meta({ id: 'ApiTokenRole' });
export const ApiTokenId = uuid('ApiTokenId');

export const ApiTokenCreate = z
  .object({ name: z.string().min(1).max(200), role: ApiTokenRole })
  .meta({ id: 'ApiTokenCreate' });

/** The only answer that carries the token itself: it is stored as a slow hash and never shown again. */
export const ApiTokenCreated = z
  .object({
    tokenId: ApiTokenId,
    name: z.string(),
    role: ApiTokenRole,
    token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`. Shown only once.' }),
    createdAt: int64(),
  })
  .meta({ id: 'ApiTokenCreated' });

export const ApiTokenRead = z
  .object({
    tokenId: ApiTokenId,
    name: z.string(),
    role: ApiTokenRole,
    createdAt: int64(),
    lastUsedAt: optional(int64()).meta({
      description: 'Epoch seconds of a recent use, recorded at most once a minute; null if never used.',
    }),
    revoked: z.boolean(),
  })
  .meta({ id: 'ApiTokenRead' });

export const ApiTokenReadList = z
  .object({ tokens: z.array(ApiTokenRead), ...pageResponseFields })
  .meta({ id: 'ApiTokenReadList' });
export const ApiTokenIdRequestBody = z.object({ tokenId: ApiTokenId }).meta({ id: 'ApiTokenIdRequestBody' });

export type ApiTokenRole = z.infer<typeof ApiTokenRole>;
export type ApiTokenRead = z.infer<typeof ApiTokenRead>;
