import type { EventStore } from '@ferry/event-store';
import type { Decider, DomainEvent } from './decider.ts';

export interface FoldedStream<State> {
  state: State;
  /** Revision of the last event folded in; -1: the stream does not exist. */
  revision: number;
  /** Global position of that event; 0: the stream does not exist. */
  position: number;
}

/**
 * Folded states of streams read before. Events never change once stored, so a remembered state stays true
 * and only the events after it need reading: a long stream (the job ledger) costs what is new, not its
 * length. States must be immutable, as deciders' are. Holds at most `capacity` streams, dropping the oldest.
 */
export class StreamStateCache<State> {
  readonly #entries = new Map<string, FoldedStream<State>>();
  readonly capacity: number;
  constructor(capacity = 1_000) {
    this.capacity = capacity;
  }

  get(stream: string): FoldedStream<State> | undefined {
    return this.#entries.get(stream);
  }

  set(stream: string, entry: FoldedStream<State>): void {
    this.#entries.delete(stream);
    this.#entries.set(stream, entry);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/** Reads a stream (from where `cache` left it, if given) and folds it with the decider's `evolve`. */
export const readState = async <State, Event extends DomainEvent>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  cache?: StreamStateCache<State>,
): Promise<FoldedStream<State>> => {
  const known = cache?.get(streamName);
  const fresh = await store.readStream(streamName, { fromRevision: (known?.revision ?? -1) + 1 });
  const state = fresh.reduce(
    (s, e) => decider.evolve(s, { type: e.type, data: e.data } as Event),
    known?.state ?? decider.initialState,
  );
  const last = fresh.at(-1);
  const folded = {
    state,
    revision: last?.revision ?? known?.revision ?? -1,
    position: last?.position ?? known?.position ?? 0,
  };
  cache?.set(streamName, folded);
  return folded;
};
