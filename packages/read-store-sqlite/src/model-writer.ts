import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './write-worker.ts';
import type { WriteRequest } from './writes.ts';

interface Pending {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The read-model file's writes on a thread of their own (ADR 0029), as the log's are (ADR 0014). Every write
 * of the store goes to the one writer thread, which runs them in the order they were called, each in its
 * own transaction, so no two connections of the process contend for the file's write lock; the event loop
 * keeps only the reads. A promise settles after the COMMIT that holds its writes, so a reader that waited
 * for it (a projector's `waitFor`, read-your-writes) sees them from the loop's connection.
 */
export function modelWriter(file: string) {
  let worker: Worker | undefined;
  const pending: Pending[] = [];
  let broken: unknown;
  let whenIdle: Array<() => void> = [];

  const settleIdle = () => {
    if (pending.length > 0) return;
    worker?.unref();
    for (const resolve of whenIdle) resolve();
    whenIdle = [];
  };

  const onReply = (reply: WorkerReply) => {
    const settled = pending.shift();
    if ('failed' in reply) settled?.reject(reply.failed);
    else settled?.resolve();
    settleIdle();
  };

  const onFailure = (error: unknown) => {
    broken = error;
    for (const waiting of pending.splice(0)) waiting.reject(error);
    settleIdle();
  };

  /** Started by the first write: a store that only reads (a CLI, a health check) never starts a thread. */
  const startWorker = () => {
    const started = new Worker(new URL('./write-worker.ts', import.meta.url), { workerData: { file } });
    started.on('message', onReply);
    started.on('error', onFailure);
    return started;
  };

  return {
    write: (request: WriteRequest) =>
      new Promise<void>((resolve, reject) => {
        if (broken) return reject(broken);
        worker ??= startWorker();
        worker.postMessage(request satisfies WorkerRequest); // a value it cannot clone throws here
        worker.ref(); // a write in flight keeps the process alive; an idle writer does not
        pending.push({ resolve, reject });
      }),
    /** Waits for the writes in flight, then closes the writer's connection and thread. */
    async close() {
      if (pending.length > 0) await new Promise<void>((resolve) => whenIdle.push(resolve));
      if (broken || !worker) return;
      broken = new Error('the read store is closed'); // a write after close is refused, not left waiting
      const exited = once(worker, 'exit');
      worker.ref(); // until it has closed its connection
      worker.postMessage({ close: true } satisfies WorkerRequest);
      await exited;
    },
  };
}
