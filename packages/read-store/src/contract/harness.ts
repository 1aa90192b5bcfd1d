import { type OpenedStore, type StoreHarness, useStoreHarness } from '@ferry/contract-testing';
import type { Document, ReadStore } from '../port.ts';

/** What an adapter's `open` factory hands to the suite. */
export type OpenedReadStore = OpenedStore<ReadStore>;

/** The real differences between read stores, passed in by each adapter's spec. */
export interface ReadStoreContractOptions<O extends OpenedReadStore> {
  /**
   * Opens another store over the same storage as `opened` (which may be closed or still open: two stores
   * over one storage stand for two replicas). Omit when every `open()` reaches the same storage anyway:
   * `open` is then called again.
   */
  reopen?: (opened: O) => Promise<ReadStore>;
}

export type Harness = StoreHarness<ReadStore>;

export const useHarness = <O extends OpenedReadStore>(
  open: () => Promise<O>,
  options: ReadStoreContractOptions<O>,
): Harness => useStoreHarness(open, options.reopen);

/**
 * Puts `docs` into `collection` in one commit of a throwaway projection, at `position` (1 unless given):
 * seeding a document again needs a higher position, or the put is ignored.
 */
export async function seed(
  store: ReadStore,
  collection: string,
  docs: Document[],
  position = 1,
): Promise<void> {
  await store.commit(
    'contract_seed',
    position,
    docs.map((doc) => ({ collection, op: 'put', doc })),
  );
}

export function ids(docs: Array<{ id: string }>): string[] {
  return docs.map((doc) => doc.id);
}
