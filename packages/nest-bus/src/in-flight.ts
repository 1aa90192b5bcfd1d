/** The handler runs started and not yet finished, so a draining close can wait for them. */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing runs, including work started while waiting. */
  idle(): Promise<void>;
}

export const createInFlight = (): InFlight => {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      const done = () => running.delete(work);
      work.then(done, done);
      return work;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled(running);
    },
  };
};
