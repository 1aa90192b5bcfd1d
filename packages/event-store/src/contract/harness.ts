import { randomUUID } from 'node:crypto';
import { type OpenedStore, type StoreHarness, useStoreHarness } from '@ferry/contract-testing';
import type { EventStore, NewEvent } from '../port.ts';

/** What an adapter's `open` factory hands to the suite. */
export type OpenedEventStore = OpenedStore<EventStore>;

/** The real differences between event stores, passed in by each adapter's spec. */
export interface EventStoreContractOptions<O extends OpenedEventStore> {
  /**
   * `open` always yields an empty log that only this test writes to (a fresh SQLite file). Enables the
   * assertions that need the whole log: `headPosition` of an empty store, `readAll` returning only ours.
   * Leave it off for a shared server: the suite then compares only the events of its own streams.
   */
  emptyOnOpen?: boolean;
  /**
   * Opens another store over the same storage as `opened` (while it is open, or after it was closed).
   * Omit when every `open()` reaches the same storage anyway (a server): `open` is then called again.
   */
  reopen?: (opened: O) => Promise<EventStore>;
}

export type Harness = StoreHarness<EventStore>;

export const useHarness = <O extends OpenedEventStore>(
  open: () => Promise<O>,
  options: EventStoreContractOptions<O>,
): Harness => useStoreHarness(open, options.reopen);

/** A stream name no other test (or other run against the same server) uses. */
export function uniqueStream(kind = 'contract'): string {
  return `${kind}-${randomUUID()}`;
}

export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { ...data },
    metadata: {
      actor: 'contract-suite',
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

export function newEvents(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, n) => newEvent(type, { n }));
}

/** Only the events of `streams`: on a shared server the log also holds other writers' events. */
export function onlyStreams<E extends { streamName: string }>(events: E[], ...streams: string[]): E[] {
  return events.filter((event) => streams.includes(event.streamName));
}

export function ids(events: Array<{ id: string }>): string[] {
  return events.map((event) => event.id);
}

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

export function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
