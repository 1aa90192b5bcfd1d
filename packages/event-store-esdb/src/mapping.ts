import {
  ANY,
  type AppendExpectedRevision,
  type EventData,
  jsonEvent,
  NO_STREAM,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  START,
  type ReadPosition,
} from '@eventstore/db-client';
import type {
  EventMetadata,
  EventWithoutMetadata,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '@ferry/event-store';

/** Stream reads on servers before 22.6 carry no `$all` position (or a 2^64-1 placeholder). */
export class MissingPositionError extends Error {
  override readonly name = 'MissingPositionError';
  constructor(streamName: string) {
    super(`event of stream ${streamName} has no $all position: EventStoreDB 22.6 or later is required`);
  }
}

const noPosition = 2n ** 63n;

export function toEventData(event: NewEvent): EventData {
  const { id, type, data, metadata } = event;
  return jsonEvent({ id, type, data, metadata: { ...metadata } });
}

export function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

/**
 * The global position is the commit position. Each event written by a gRPC append has its own commit
 * position (equal to its prepare position), so the number is unique and grows with the log.
 */
export function toRecorded(event: EsdbRecordedEvent, commitPosition?: bigint): RecordedEvent {
  return { ...withoutMetadata(event, commitPosition), metadata: event.metadata as unknown as EventMetadata };
}

/** `toRecorded` without the metadata, for `readAll`'s `metadata: false`. */
export function withoutMetadata(event: EsdbRecordedEvent, commitPosition?: bigint): EventWithoutMetadata {
  const commit = event.position?.commit ?? commitPosition;
  if (commit === undefined || commit >= noPosition) throw new MissingPositionError(event.streamId);
  return {
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: Number(commit),
  };
}

/** ESDB's own events ($stats, $metadata, projections' links) are not part of our log. */
export function isOurs(event: EsdbRecordedEvent): boolean {
  return !event.streamId.startsWith('$') && !event.type.startsWith('$');
}

/** Reading `$all` forwards from a position includes the event at it: callers skip that one. */
export function readPosition(position: number): ReadPosition {
  if (position <= 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at } satisfies Position;
}
