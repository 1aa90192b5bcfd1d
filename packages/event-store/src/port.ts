/**
 * The event store port. SQLite (embedded), PostgreSQL and EventStoreDB implement it; all run
 * `contract-suite.ts`.
 *
 * Guarantees:
 * - `append` is atomic per call: all events land or none do. With an `expectedRevision` that does not match
 *   the stream, it throws `WrongExpectedRevisionError` and appends nothing.
 * - Stream revisions start at 0 and have no gaps. Global positions grow strictly in append order.
 * - `readAll`/`subscribe` deliver every event exactly in global order; `fromPosition` is exclusive, so a
 *   consumer resumes from its last checkpoint without seeing that event twice.
 */
export interface EventMetadata {
  /** Who caused the change: a user name, `anonymous`, or a service name. */
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** ISO-8601 time of the decision. */
  occurredAt: string;
  schemaVersion: number;
}

export interface NewEvent {
  /** Chosen by the caller (uuid) so that a retried append can be recognised. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamName: string;
  /** 0-based position in its stream. */
  revision: number;
  /** Position in the whole log, strictly increasing, >= 1. */
  position: number;
}

/**
 * An event as read by a reader that never looks at metadata (a projection: no read model keeps it), from
 * `readAll` with `metadata: false`. Every `RecordedEvent` is one too.
 */
export type EventWithoutMetadata = Omit<RecordedEvent, 'metadata'>;

/** `no_stream`: the stream must not exist. A number: the revision of the stream's last event. */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last appended event: pass it as the next expectedRevision. */
  nextExpectedRevision: number;
  position: number;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  readonly actual: number | 'no_stream';
  // Fields are assigned by hand: Node's type stripping does not support parameter properties.
  constructor(streamName: string, expected: ExpectedRevision, actual: number | 'no_stream') {
    super(`stream ${streamName}: expected revision ${expected}, found ${actual}`);
    this.streamName = streamName;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An event id that is already stored, and not as a retry of this very append. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  readonly streamName: string;
  readonly eventId: string;
  constructor(streamName: string, eventId: string) {
    super(`stream ${streamName}: event ${eventId} is already stored`);
    this.streamName = streamName;
    this.eventId = eventId;
  }
}

/** What `readAll` reads: the events after a position, at most a number of them, of some types only. */
export interface ReadAllOptions {
  /** Exclusive; default 0, the start of the log. */
  fromPosition?: number;
  /** The most events returned (those skipped by `types` do not count); default all. */
  limit?: number;
  /**
   * Only events of these types, in the same global order. The store skips the others before parsing them
   * (in its query where it can), so a reader that handles a few types, such as a projection replaying the
   * log, does not pay for the rest. Without it, every type.
   */
  types?: readonly string[];
  /**
   * `false`: the events come without their metadata, which the store neither parses nor, where it can,
   * reads (in a replay of the log, parsing it was about 40 % of the parse). Without it, with metadata.
   */
  metadata?: false;
  /**
   * By event type, top-level fields of the data the reader only copies (`Projection.textFields`): a
   * store that holds the data as `JSON.stringify`'s text may hand each over as a `JsonText` of
   * `@ferry/read-store` instead of parsing it; others hand over the parsed value. Only with `metadata: false`.
   */
  textFields?: Readonly<Record<string, readonly string[]>>;
}

export interface EventSubscription {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamName: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * The events of a stream in order, from revision `fromRevision` (default 0) on; `[]` when it does not
   * exist. Reading from a revision lets a caller that folded the stream before read only what is new.
   */
  readStream(streamName: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events with position > `fromPosition` (default 0), in order, of `types` when given;
   * without their metadata when asked (`metadata: false`).
   */
  readAll(options?: ReadAllOptions & { metadata?: undefined }): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions & { metadata: false }): Promise<EventWithoutMetadata[]>;
  /**
   * Calls `onEvent` for every event after `fromPosition`, first those already stored, then new ones as they
   * are appended. The next event is not delivered before the handler's promise settles.
   */
  subscribeToAll(
    fromPosition: number,
    onEvent: (event: RecordedEvent) => Promise<void>,
    onError?: (error: unknown) => void,
  ): EventSubscription;
  /** Position of the newest event, 0 when empty. */
  headPosition(): Promise<number>;
  ping(): Promise<boolean>;
  describe(): string;
  close(): Promise<void>;
}
