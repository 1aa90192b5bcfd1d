import {
  type AppendResult,
  DuplicateEventIdError,
  type ExpectedRevision,
  type NewEvent,
  WrongExpectedRevisionError,
} from './port.ts';

/** Where an event id is already stored. */
export interface StoredEventId {
  stream: string;
  revision: number;
  position: number;
}

/** Whether `expected` allows an append after `current`, the stream's last revision (-1: no stream). */
export function revisionMatches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === -1;
  return expected === current;
}

/** Throws `WrongExpectedRevisionError` unless `expected` allows an append after `current` (-1: no stream). */
export function checkExpectedRevision(stream: string, expected: ExpectedRevision, current: number): void {
  if (!revisionMatches(expected, current)) {
    throw new WrongExpectedRevisionError(stream, expected, current === -1 ? 'no_stream' : current);
  }
}

/**
 * Ids are chosen by the caller so that a retried append (say, after a lost reply) is answered with the
 * original result instead of being stored twice. `stored[i]` is where the id of `events[i]` is stored, if it
 * is. Returns null when none is; throws `DuplicateEventIdError` when some are, but not as this very append.
 */
export function recognisedRetry(
  stored: Array<StoredEventId | undefined>,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): AppendResult | null {
  const duplicate = stored.findIndex((row) => row !== undefined);
  if (duplicate === -1) return null;
  const first = stored[0];
  const last = stored.at(-1);
  const sameAppend =
    first !== undefined &&
    stored.every((row, offset) => row?.stream === stream && row.revision === first.revision + offset) &&
    revisionMatches(expected, first.revision - 1);
  if (!sameAppend || !last) throw new DuplicateEventIdError(stream, events[duplicate]?.id ?? '');
  return { nextExpectedRevision: last.revision, position: last.position };
}
