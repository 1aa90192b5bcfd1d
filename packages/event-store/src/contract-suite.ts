import { describe } from 'vitest';
import { appendContract } from './contract/append.ts';
import { durabilityContract } from './contract/durability.ts';
import { type EventStoreContractOptions, type OpenedEventStore, useHarness } from './contract/harness.ts';
import { readAllContract } from './contract/read-all.ts';
import { subscribeContract } from './contract/subscribe.ts';

export type { EventStoreContractOptions, OpenedEventStore } from './contract/harness.ts';
/** Builders of valid events, for adapter-specific tests. */
export { newEvent, newEvents } from './contract/harness.ts';

/**
 * Registers the tests every `EventStore` adapter must pass (the guarantees in `port.ts`). Call it from the
 * adapter's `*.int.spec.ts`; `open` is called before each test and must yield a ready store.
 */
export function eventStoreContract<O extends OpenedEventStore>(
  name: string,
  open: () => Promise<O>,
  options: EventStoreContractOptions<O> = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    const harness = useHarness(open, options);
    appendContract(harness);
    readAllContract(harness, options.emptyOnOpen ?? false);
    subscribeContract(harness);
    durabilityContract(harness);
  });
}
