/** The handler runs a transport has started and not yet finished, so `close()` can wait for them. */
export interface InFlight {
  track(work: Promise<unknown>): void;
  /** Resolves once nothing is running, including work started while waiting. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      const done = () => running.delete(work);
      work.then(done, done);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled(running);
    },
  };
}
