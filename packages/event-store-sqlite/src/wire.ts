import { DuplicateEventIdError, WrongExpectedRevisionError } from '@ferry/event-store';
import type { Outcome } from './write-batch.ts';

/**
 * An error as it crosses from the log writer's thread: structured cloning keeps only a plain Error's
 * message, so the store's own errors travel as their fields and are rebuilt as the same classes (callers
 * tell a 409 by the class), and any other error keeps its name, message and own fields (a SQLite code).
 */
export type WireError =
  | { kind: 'wrong_revision'; error: Pick<WrongExpectedRevisionError, 'streamName' | 'expected' | 'actual'> }
  | { kind: 'duplicate_id'; error: Pick<DuplicateEventIdError, 'streamName' | 'eventId'> }
  | { kind: 'other'; error: Record<string, unknown> & { name: string; message: string } };

export type WireOutcome = Extract<Outcome, { ok: true }> | { ok: false; error: WireError };

export function toWire(error: unknown): WireError {
  if (error instanceof WrongExpectedRevisionError) {
    const { streamName, expected, actual } = error;
    return { kind: 'wrong_revision', error: { streamName, expected, actual } };
  }
  if (error instanceof DuplicateEventIdError) {
    const { streamName, eventId } = error;
    return { kind: 'duplicate_id', error: { streamName, eventId } };
  }
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', error: { ...(error as object), name, message } };
}

export function fromWire(wire: WireError): Error {
  switch (wire.kind) {
    case 'wrong_revision':
      return new WrongExpectedRevisionError(wire.error.streamName, wire.error.expected, wire.error.actual);
    case 'duplicate_id':
      return new DuplicateEventIdError(wire.error.streamName, wire.error.eventId);
    case 'other':
      return Object.assign(new Error(wire.error.message), wire.error);
  }
}

export const outcomeToWire = (outcome: Outcome): WireOutcome =>
  outcome.ok ? outcome : { ok: false, error: toWire(outcome.error) };
