import { randomUUID } from 'node:crypto';
import { conflict } from '@ferry/contracts';
import { WrongExpectedRevisionError, type EventMetadata, type EventStore } from '@ferry/event-store';
import type { Decider, DomainEvent } from './decider.ts';
import { readState, type StreamStateCache } from './stream-state.ts';

/** Who asked, and why: copied into every event's metadata. */
export interface CommandContext {
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** The time of the decision, chosen once at the edge so the domain stays pure. */
  now: Date;
  /** `If-Match`: the stream revision the caller last read; a newer one answers 409. */
  expectedRevision?: number | undefined;
  /**
   * The command carries an idempotency key: deciding it again is harmless (a repeated create decides
   * nothing), so when it loses a race, most likely to its own retry, it is decided once more on the stream
   * as the winner left it instead of answering 409.
   */
  idempotent?: boolean;
  /**
   * The command starts a stream under an id just made for it (a create): the stream is not read, its state
   * is the decider's initial one and the append expects no stream. Should it exist after all (an id derived
   * from an Idempotency-Key used before), the append fails as a lost race does and is handled as one.
   */
  newStream?: boolean;
}

export interface CommandResult<State> {
  state: State;
  /** Revision of the stream's last event after the command (-1: the stream does not exist). */
  revision: number;
  /** Global position of the last appended event, 0 when nothing was appended. */
  position: number;
  /**
   * Global position of the stream's last event after the command: its own, or when it decided nothing,
   * the last one another writer appended (0 for no stream). Reading past it shows what the answer reflects.
   */
  streamPosition: number;
  appended: number;
}

export const SCHEMA_VERSION = 1;

const metadataOf = (context: CommandContext): EventMetadata => ({
  actor: context.actor,
  correlationId: context.correlationId,
  causationId: context.causationId,
  occurredAt: context.now.toISOString(),
  schemaVersion: SCHEMA_VERSION,
});

/**
 * Read the stream, fold, decide, append with the revision that was read (a new stream: not read, appended
 * as "no stream"). A concurrent writer that got there first makes the append fail and the caller gets 409;
 * nothing is overwritten.
 */
export const handleCommand = async <Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  context: CommandContext,
  cache?: StreamStateCache<State>,
): Promise<CommandResult<State>> => {
  const {
    state,
    revision,
    position: streamPosition,
  } = context.newStream
    ? { state: decider.initialState, revision: -1, position: 0 }
    : await readState(store, streamName, decider, cache);
  if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
    throw conflict(
      `${streamName} is at revision ${revision}, not ${context.expectedRevision}`,
      'stale_revision',
    );
  }
  const events = decider.decide(command, state);
  if (events.length === 0) return { state, revision, position: 0, streamPosition, appended: 0 };
  const metadata = metadataOf(context);
  const toAppend = events.map((e) => ({
    id: randomUUID(),
    type: e.type,
    data: e.data as Record<string, unknown>,
    metadata,
  }));
  try {
    const result = await store.append(streamName, toAppend, revision === -1 ? 'no_stream' : revision);
    const after = events.reduce(decider.evolve, state);
    cache?.set(streamName, {
      state: after,
      revision: result.nextExpectedRevision,
      position: result.position,
    });
    return {
      state: after,
      revision: result.nextExpectedRevision,
      position: result.position,
      streamPosition: result.position,
      appended: events.length,
    };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    if (context.idempotent && context.expectedRevision === undefined)
      return handleCommand(
        store,
        streamName,
        decider,
        command,
        { ...context, idempotent: false, newStream: false },
        cache,
      );
    throw conflict(`${streamName} was changed concurrently; retry`, 'concurrent_write');
  }
};

/**
 * `handleCommand`, then wait until the projector has applied the stream as the command left it: a service
 * answering after this lets its caller read its own write (ARCHITECTURE.md, invariant 3). That holds also
 * when the command decided nothing because a concurrent request (a retry with the same key, a racing
 * sync) did it first: the answer then reflects that request's events, which the read model must show.
 */
export const handleAndProject = async <Command, State, Event extends DomainEvent>(
  store: EventStore,
  projector: { waitFor(position: number): Promise<void> },
  streamName: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  context: CommandContext,
  cache?: StreamStateCache<State>,
): Promise<CommandResult<State>> => {
  const result = await handleCommand(store, streamName, decider, command, context, cache);
  if (result.streamPosition > 0) await projector.waitFor(result.streamPosition);
  return result;
};
