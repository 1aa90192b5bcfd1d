import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  type Position,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
  StreamNotFoundError,
} from '@eventstore/db-client';
import type { EventWithoutMetadata, ReadAllOptions, RecordedEvent } from '@ferry/event-store';
import { isOurs, readPosition, toRecorded, withoutMetadata } from './mapping.ts';

const pageSize = 500;

export async function readStream(
  client: EventStoreDBClient,
  streamName: string,
  fromRevision = 0,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(streamName, { fromRevision: BigInt(fromRevision) })) {
      if (resolved.event) events.push(toRecorded(resolved.event, resolved.commitPosition));
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

/**
 * Our events after `fromPosition` (exclusive), at most `limit`, of `types` when given. `$all` also holds
 * the server's own events, which `readAll` cannot filter out, so pages are read until enough of ours are
 * found. The client's `readAll` takes no server-side filter either (only `subscribeToAll` does), so the
 * events of other types are dropped here, before they are mapped.
 */
export async function readAllAfter(
  client: EventStoreDBClient,
  { fromPosition = 0, limit = Number.POSITIVE_INFINITY, types, metadata }: ReadAllOptions,
): Promise<Array<RecordedEvent | EventWithoutMetadata>> {
  const found: Array<RecordedEvent | EventWithoutMetadata> = [];
  const wanted = types && new Set(types);
  // The client has parsed the metadata already; leaving it out only spares mapping it.
  const map = metadata === false ? withoutMetadata : toRecorded;
  let cursor = fromPosition;
  for (;;) {
    const page = await readPage(client, cursor, Math.min(pageSize, limit - found.length + 1), wanted, map);
    found.push(...page.events);
    if (page.exhausted || found.length >= limit) return found.slice(0, limit);
    cursor = page.lastPosition;
  }
}

async function readPage(
  client: EventStoreDBClient,
  cursor: number,
  maxCount: number,
  wanted: ReadonlySet<string> | undefined,
  map: (event: EsdbRecordedEvent) => RecordedEvent | EventWithoutMetadata,
) {
  const events: Array<RecordedEvent | EventWithoutMetadata> = [];
  let read = 0;
  let lastPosition = cursor;
  for await (const resolved of client.readAll({ fromPosition: readPosition(cursor), maxCount })) {
    read += 1;
    const event = resolved.event;
    if (!event || Number(event.position.commit) <= cursor) continue;
    lastPosition = Number(event.position.commit);
    if (isOurs(event) && (!wanted || wanted.has(event.type))) events.push(map(event));
  }
  return { events, lastPosition, exhausted: read < maxCount };
}

/** The position of our newest event, walking `$all` backwards past the server's own events. */
export async function headPosition(client: EventStoreDBClient): Promise<number> {
  let from: ReadPosition = END;
  for (;;) {
    let read = 0;
    let oldest: Position | undefined;
    for await (const resolved of client.readAll({
      direction: BACKWARDS,
      fromPosition: from,
      maxCount: pageSize,
    })) {
      read += 1;
      const event = resolved.event;
      if (!event) continue;
      if (isOurs(event)) return Number(event.position.commit);
      oldest = event.position;
    }
    // Reading backwards from a position excludes the event at it, so `oldest` is not read twice.
    if (read < pageSize || !oldest) return 0;
    from = oldest;
  }
}
