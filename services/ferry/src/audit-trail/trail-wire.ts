import type { RequestOf } from '@ferry/contracts';
import type { ReplyEnvelope } from '@ferry/bus';

/** Where the trail's thread finds its stores: the event log and the trail's own read-model file. */
export interface TrailFiles {
  events: string;
  trail: string;
}

/** A call of the event loop's `AuditTrail` on the thread. */
export type TrailCallBody =
  | { call: 'list'; request: RequestOf<'listAuditEntries'> }
  | { call: 'waitFor'; position: number; timeoutMs: number | undefined }
  | { call: 'rebuild' }
  | { call: 'stop' };

/** A call as posted, numbered so its answer finds it. */
export type TrailCall = { id: number } & TrailCallBody;

/**
 * What the thread posts: a call's answer, as the bus carries it (a domain error whole, anything else as
 * `internal`), or a failure of the trail's own (`startAuditTrail`'s `onError`) with its message.
 */
export type TrailMessage = { id: number; reply: ReplyEnvelope } | { failure: string };
