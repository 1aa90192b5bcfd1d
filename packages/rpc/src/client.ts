import {
  DEADLINE_MS,
  DomainError,
  HEADER,
  operationById,
  subjectOf,
  type Operation,
  type OperationId,
  type OperationReply,
  type RequestOf,
  type ResponseOf,
} from '@ferry/contracts';
import { type Bus, type Headers, JsonText, JsonTextStream, wholeText } from '@ferry/bus';
import { headersFromContext, type RequestContext } from './context.ts';
import type { OperationReplyOf } from './handlers.ts';
import { openOperationReply } from './reply-text.ts';

/** Failures after which the request may not have been handled, and another replica may answer. */
const RETRIABLE = new Set(['bus.responder_lost', 'bus.disconnected', 'bus.no_responders']);
/** A pause before asking again, so a reconnecting client or a re-subscribing replica can be found. */
const RETRY_PAUSE_MS = 250;

export interface CallOptions {
  headers: Headers;
  /** How long the whole call may take, a retry included. */
  deadlineMs: number;
}

/** An operation's deadline: its class's, or for one that runs connectors, what the deployment allows. */
export const deadlineOf = (operation: Operation, connectorDeadlineMs: number): number =>
  operation.deadline === 'connector' ? connectorDeadlineMs : DEADLINE_MS[operation.deadline];

/**
 * Sends an operation over the bus and answers its reply, within `deadlineMs`. A read, or a write carrying an
 * idempotency key (applied once however often it is sent, ADR 0006), is asked once more when its responder
 * was lost, the connection dropped or nobody answered yet: a queue group hands the second request to
 * another replica. Any other write is not: the caller learns 503 and decides.
 *
 * Named by its id, the operation's request and reply are typed; given as a row of the table (the gateway,
 * which routes every operation alike), the reply's body is `unknown`.
 */
export function callOperation<Id extends OperationId>(
  bus: Bus,
  operation: Id,
  body: RequestOf<Id>,
  options: CallOptions,
): Promise<OperationReplyOf<Id>>;
export function callOperation(
  bus: Bus,
  operation: Operation,
  body: unknown,
  options: CallOptions,
): Promise<OperationReply>;
export async function callOperation(
  bus: Bus,
  operationOrId: Operation | OperationId,
  body: unknown,
  options: CallOptions,
): Promise<OperationReply> {
  const operation = typeof operationOrId === 'string' ? operationById(operationOrId) : operationOrId;
  const reply = await requestOperation(bus, operation, body, options);
  // A body made over time (in-process, a whole list in slices) is read whole: the caller wants its value.
  return openOperationReply(reply instanceof JsonTextStream ? new JsonText(await wholeText(reply)) : reply);
}

/**
 * `callOperation` for a caller that sends the reply on (the gateway): the reply as the bus delivered it,
 * which `sendableReply` reads without parsing its body.
 */
export async function requestOperation(
  bus: Bus,
  operation: Operation,
  body: unknown,
  { headers, deadlineMs }: CallOptions,
): Promise<unknown> {
  const subject = subjectOf(operation);
  const ends = Date.now() + deadlineMs;
  // The one place a reply from the wire takes its operation's type: the service answering it was written
  // against the same table (`ServiceHandlers`), so it is not parsed again here.
  const ask = (timeoutMs: number) => bus.request(subject, body ?? null, { headers, timeoutMs });
  try {
    return await ask(deadlineMs);
  } catch (error) {
    const safe = operation.deadline === 'read' || headers[HEADER.idempotencyKey] !== undefined;
    const left = ends - Date.now() - RETRY_PAUSE_MS;
    if (!safe || !DomainError.is(error) || !RETRIABLE.has(error.code) || left <= 0) throw error;
    await new Promise((resume) => setTimeout(resume, RETRY_PAUSE_MS));
    return ask(left);
  }
}

/** Calls another service's operation over the bus, carrying the caller's correlation. */
export type OperationClient = <Id extends OperationId>(
  operationId: Id,
  body: RequestOf<Id>,
  ctx: RequestContext,
  options?: { timeoutMs?: number },
) => Promise<ResponseOf<Id>>;

/**
 * `connectorDeadlineMs` bounds the calls that may run a connector; reads and writes have the table's
 * deadlines. A service that calls operations which run connectors must wait longer than a connector may
 * take, or its caller sees 504 for a job that is still doing its work.
 */
export const createOperationClient =
  (bus: Bus, connectorDeadlineMs: number = DEADLINE_MS.write): OperationClient =>
  async (operationId, body, ctx, options) => {
    const operation = operationById(operationId);
    const deadlineMs = options?.timeoutMs ?? deadlineOf(operation, connectorDeadlineMs);
    const reply = await callOperation(bus, operationId, body, {
      headers: headersFromContext(ctx),
      deadlineMs,
    });
    return reply.body;
  };
