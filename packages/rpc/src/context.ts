import { randomUUID } from 'node:crypto';
import { HEADER } from '@ferry/contracts';
import type { Headers } from '@ferry/bus';

/** What every operation handler gets besides its body, read from the bus headers. */
export interface RequestContext {
  actor: string;
  requestId: string;
  correlationId: string;
  idempotencyKey: string | undefined;
  /** `If-Match`: the revision the caller last read. */
  ifMatch: number | undefined;
  /** `Prefer: wait=<s>`: how long a caller is willing to wait for a job to end. */
  preferWaitSeconds: number | undefined;
  now: Date;
}

const numberOrUndefined = (value: string | undefined) => {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

export const contextFromHeaders = (headers: Headers, now = new Date()): RequestContext => {
  const requestId = headers[HEADER.requestId] ?? randomUUID();
  return {
    actor: headers[HEADER.actor] ?? 'anonymous',
    requestId,
    correlationId: headers[HEADER.correlationId] ?? requestId,
    idempotencyKey: headers[HEADER.idempotencyKey] || undefined,
    ifMatch: numberOrUndefined(headers[HEADER.ifMatch]),
    preferWaitSeconds: numberOrUndefined(headers[HEADER.preferWait]),
    now,
  };
};

/** The headers that carry a context on to the next service: same correlation, caused by this request. */
export const headersFromContext = (ctx: RequestContext): Record<string, string> => ({
  [HEADER.actor]: ctx.actor,
  [HEADER.requestId]: randomUUID(),
  [HEADER.correlationId]: ctx.correlationId,
  [HEADER.causationId]: ctx.requestId,
});

/**
 * The metadata of the events a request causes (the shape of `@ferry/eventsourcing`'s CommandContext):
 * the decision time is the moment of the decision; `If-Match` is honoured only where asked for.
 */
export const commandContextOf = (ctx: RequestContext, withIfMatch = false) => ({
  actor: ctx.actor,
  correlationId: ctx.correlationId,
  causationId: ctx.requestId,
  now: new Date(),
  expectedRevision: withIfMatch ? ctx.ifMatch : undefined,
  idempotent: ctx.idempotencyKey !== undefined,
});
