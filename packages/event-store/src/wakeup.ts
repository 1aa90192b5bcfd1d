/**
 * Tells waiting subscriptions that the log may have grown. `version` lets a subscription notice an append
 * that happened while it was busy in a handler, so it never sleeps through one.
 */
export class Wakeup {
  #version = 0;
  readonly #waiters = new Set<() => void>();

  get version(): number {
    return this.#version;
  }

  notify(): void {
    this.#version += 1;
    for (const wake of this.#waiters) wake();
  }

  /** Resolves on the next `notify`, after `ms` (the fallback poll), or when `signal` aborts. */
  wait(sinceVersion: number, ms: number, signal: AbortSignal): Promise<void> {
    if (sinceVersion !== this.#version || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
