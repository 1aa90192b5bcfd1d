import { createHash, randomUUID } from 'node:crypto';
import type { OperationId } from '@ferry/contracts';
import type { RequestContext } from '@ferry/rpc';

export type { RequestContext } from '@ferry/rpc';

/**
 * The id of a new entity. With an Idempotency-Key it is derived from the key, so a retried create lands
 * on the same stream and the decider turns it into a no-op: applied once, answered alike.
 */
export const newEntityId = (operationId: OperationId, ctx: RequestContext): string => {
  if (!ctx.idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${operationId}\u0000${ctx.idempotencyKey}`).digest('hex');
  // Shaped as an RFC 9562 version-8 (custom) uuid.
  const variant = ((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
