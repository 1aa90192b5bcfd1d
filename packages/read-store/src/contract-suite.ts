import { describe } from 'vitest';
import { type OpenedReadStore, type ReadStoreContractOptions, useHarness } from './contract/harness.ts';
import { lifecycleContract } from './contract/lifecycle.ts';
import { monotonicContract } from './contract/monotonic.ts';
import { queryContract } from './contract/queries.ts';
import { textsContract } from './contract/texts.ts';
import { writeContract } from './contract/writes.ts';

export type { OpenedReadStore, ReadStoreContractOptions } from './contract/harness.ts';

/**
 * Registers the tests every `ReadStore` adapter must pass (the guarantees in `port.ts`, plus: `find`
 * without `orderBy` sorts by id, ties of `orderBy` by id too, and `null` in `where` also matches an absent
 * field). `open` is called before each test and must yield a store over fresh, empty storage.
 */
export function readStoreContract<O extends OpenedReadStore>(
  name: string,
  open: () => Promise<O>,
  options: ReadStoreContractOptions<O> = {},
): void {
  describe(`ReadStore contract: ${name}`, () => {
    const harness = useHarness(open, options);
    queryContract(harness);
    textsContract(harness);
    writeContract(harness);
    monotonicContract(harness);
    lifecycleContract(harness);
  });
}
