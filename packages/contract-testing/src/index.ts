import { afterEach, beforeEach } from 'vitest';

/** What an adapter's `open` factory hands to a contract suite: a store, and how to remove its storage. */
export interface OpenedStore<S extends { close(): Promise<void> }> {
  store: S;
  /** Removes the storage (temp files, databases); called after the suite closed every store. */
  cleanup: () => Promise<void>;
}

/** One test's stores: the opened one plus any reopened over the same storage, all closed after the test. */
export interface StoreHarness<S> {
  store(): S;
  reopen(): Promise<S>;
}

/**
 * The per-test life cycle every store contract suite shares: open before each test, close everything and
 * clean up after. `reopen` opens another store over the same storage (a second replica, or a restart);
 * without it, `open` is called again, which is right when every `open()` reaches the same server.
 */
export function useStoreHarness<S extends { close(): Promise<void> }, O extends OpenedStore<S>>(
  open: () => Promise<O>,
  reopen?: (opened: O) => Promise<S>,
): StoreHarness<S> {
  let opened: O | undefined;
  let extra: Array<{ store: S; cleanup?: () => Promise<void> }> = [];
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
      if (reopen) {
        const store = await reopen(current());
        extra.push({ store });
        return store;
      }
      const again = await open();
      extra.push(again);
      return again.store;
    },
  };
}
