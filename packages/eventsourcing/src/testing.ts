import { expect } from 'vitest';
import { fold, type Decider, type DomainEvent } from './decider.ts';

/** Given past events, when a command, then these events (or this error code): the decider spec helper. */
export const givenEvents = <C, S, E extends DomainEvent>(decider: Decider<C, S, E>, past: E[]) => ({
  when: (command: C) => ({
    thenEmits: (expected: E[]) => expect(decider.decide(command, fold(decider, past))).toEqual(expected),
    thenFails: (code: string) =>
      expect(() => decider.decide(command, fold(decider, past))).toThrow(expect.objectContaining({ code })),
  }),
});
