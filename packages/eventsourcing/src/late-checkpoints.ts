import type { ReadStore } from '@ferry/read-store';

/** How long a checkpoint that no document waits for may stay unwritten. */
const DELAY_MS = 100;

/**
 * Checkpoints written late: a live subscriber whose batch changed nothing (the relay after its publishes,
 * a projector whose projections skip the batch's events) moves its checkpoint in memory and leaves the
 * commit to this, which writes the newest position of each at most every 100 ms, and on `save`. Under a
 * steady stream of appends that saves a read-model commit per batch; a crash re-reads at most those
 * events, which change nothing (the relay publishes them again, which at-least-once delivery allows).
 */
export const lateCheckpoints = (reads: ReadStore, onError: (error: unknown) => void) => {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const save = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const commits = [...pending].map(([projection, position]) => ({ projection, position, changes: [] }));
    pending = new Map();
    await reads.commitAll(commits);
  };
  return {
    /** Moves each checkpoint to its position within 100 ms. */
    defer(checkpoints: ReadonlyArray<{ projection: string; position: number }>) {
      for (const { projection, position } of checkpoints) pending.set(projection, position);
      timer ??= setTimeout(() => save().catch(onError), DELAY_MS).unref();
    },
    /** The subscriber commits its checkpoints itself now, further on: those deferred are superseded. */
    drop() {
      pending.clear();
    },
    /** Writes what is deferred now (on stop, before a reset). */
    save,
  };
};
