import { afterEach, beforeEach } from 'vitest';
import type { Document, ReadStore } from '../port.ts';

/** What an adapter's `open` factory hands to the suite: a store over fresh, empty storage. */
export interface OpenedReadStore {
  store: ReadStore;
  /** Removes the storage (temp files, the database); called after the suite closed every store. */
  cleanup: () => Promise<void>;
}

/** The real differences between read stores, passed in by each adapter's spec. */
export interface ReadStoreContractOptions<O extends OpenedReadStore> {
  /**
   * Opens another store over the same storage as `opened` (which may be closed or still open: two stores
   * over one storage stand for two replicas). Omit when every `open()` reaches the same storage anyway:
   * `open` is then called again.
   */
  reopen?: (opened: O) => Promise<ReadStore>;
}

export interface Harness {
  store(): ReadStore;
  reopen(): Promise<ReadStore>;
}

export function useHarness<O extends OpenedReadStore>(
  open: () => Promise<O>,
  options: ReadStoreContractOptions<O>,
): Harness {
  let opened: O | undefined;
  let extra: Array<{ store: ReadStore; cleanup?: () => Promise<void> }> = [];
  beforeEach(async () => {
    opened = await open();
    extra = [];
  });
  afterEach(async () => {
    for (const { store, cleanup } of extra) {
      await store.close();
      await cleanup?.();
    }
    await opened?.store.close();
    await opened?.cleanup();
  });
  const current = (): O => {
    if (!opened) throw new Error('the harness is used outside a test');
    return opened;
  };
  return {
    store: () => current().store,
    async reopen() {
      if (options.reopen) {
        const store = await options.reopen(current());
        extra.push({ store });
        return store;
      }
      const again = await open();
      extra.push(again);
      return again.store;
    },
  };
}

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
