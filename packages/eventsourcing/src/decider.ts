/**
 * The vocabulary of fmodel/Emmett: an aggregate is a Decider of pure functions. `decide` returns the events
 * a command causes (an empty array: nothing happens, so a retried command is harmless) or throws a
 * `DomainError`; `evolve` folds one event into the state and is total.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** Folds a stream's events into its state. */
export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState);

/** Ends a `switch` over a union: the compiler proves every case is handled. */
export const exhaustive = (value: never): never => {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
};
