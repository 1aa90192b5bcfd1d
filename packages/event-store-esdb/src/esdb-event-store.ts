import {
  type AppendResult as EsdbAppendResult,
  BACKWARDS,
  END,
  EventStoreDBClient,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  trackedSubscriptions,
  WrongExpectedRevisionError,
} from '@ferry/event-store';
import { toEventData, toExpectedRevision, toRecorded } from './mapping.ts';
import { headPosition, readAllAfter, readStream } from './read.ts';
import { subscribeToOurs } from './subscription.ts';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`. */
  connectionString: string;
}

const pingDeadlineMs = 2_000;

/** The production event store: EventStoreDB over gRPC. */
export function createEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  const client = EventStoreDBClient.connectionString(options.connectionString);
  const subscriptions = trackedSubscriptions((fromPosition, onEvent, onError) =>
    subscribeToOurs(client, fromPosition, onEvent, onError),
  );
  let closed = false;
  return {
    append: (streamName, events, expected) => append(client, streamName, events, expected),
    readStream: (streamName, options) => readStream(client, streamName, options?.fromRevision),
    // Every event of a read is mapped the same way, with metadata or without it as the options ask.
    readAll: ((options = {}) => readAllAfter(client, options)) as EventStore['readAll'],
    subscribeToAll: subscriptions.subscribe,
    headPosition: () => headPosition(client),
    ping: () => ping(client),
    describe: () => `EventStoreDB (${options.connectionString.replace(/\/\/[^@/]*@/, '//')})`,
    async close() {
      if (closed) return;
      closed = true;
      await subscriptions.closeAll();
      await client.dispose();
    },
  };
}

async function append(
  client: EventStoreDBClient,
  streamName: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  try {
    const result = await client.appendToStream(streamName, events.map(toEventData), {
      expectedRevision: toExpectedRevision(expected),
    });
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: await appendedPosition(client, streamName, result),
    };
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : 'no_stream';
    throw new WrongExpectedRevisionError(streamName, expected, actual);
  }
}

/** The append reports the last event's commit position; older servers may not, then it is read back. */
async function appendedPosition(client: EventStoreDBClient, streamName: string, result: EsdbAppendResult) {
  if (result.position) return Number(result.position.commit);
  for await (const resolved of client.readStream(streamName, {
    direction: BACKWARDS,
    fromRevision: END,
    maxCount: 1,
  })) {
    if (resolved.event) return toRecorded(resolved.event, resolved.commitPosition).position;
  }
  return 0;
}

async function ping(client: EventStoreDBClient): Promise<boolean> {
  try {
    for await (const _ of client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      deadline: pingDeadlineMs,
    })) {
      // Any answer means the server is reachable.
    }
    return true;
  } catch {
    return false;
  }
}
