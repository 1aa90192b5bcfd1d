import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { threadEnv } from '@ferry/sqlite';
import type { AppendResult, ExpectedRevision, NewEvent } from '@ferry/event-store';
import type { WriterRequest } from './commit-worker.ts';
import { fromWire, type WireError, type WireOutcome } from './wire.ts';
import type { AppendRequest } from './write-batch.ts';

interface PendingAppend extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type WriterReply = { outcomes: WireOutcome[] } | { failed: WireError };

/**
 * Group commit on a thread of its own. The appends called in one turn of the event loop go to the log
 * writer's thread (`commit-worker.ts`) as one batch, written in one transaction with one synced COMMIT
 * (`write-batch.ts`); while it syncs, the event loop keeps serving, and the appends called meanwhile make
 * the next batch, sent as soon as the reply comes. One batch is in flight at a time, so positions follow
 * call order and the revision checks see every earlier batch. A promise settles only after the COMMIT
 * that holds its events (or with its own refusal), so an acknowledged append is as durable as before.
 */
export function logWriter(file: string, onCommitted: () => void) {
  let worker: Worker | undefined;
  let queue: PendingAppend[] = [];
  let inFlight: PendingAppend[] | undefined;
  let scheduled = false;
  let broken: unknown;
  let whenIdle: Array<() => void> = [];

  const send = () => {
    scheduled = false;
    if (inFlight || queue.length === 0) return;
    inFlight = queue;
    queue = [];
    worker ??= startWorker();
    worker.ref();
    const batch = inFlight.map(({ stream, events, expected }) => ({ stream, events, expected }));
    worker.postMessage({ batch } satisfies WriterRequest);
  };

  const settleIdle = () => {
    if (inFlight || queue.length > 0) return;
    for (const resolve of whenIdle) resolve();
    whenIdle = [];
  };

  const onReply = (reply: WriterReply) => {
    const batch = inFlight ?? [];
    inFlight = undefined;
    worker?.unref();
    if ('failed' in reply) {
      for (const pending of batch) pending.reject(fromWire(reply.failed));
    } else {
      onCommitted();
      for (const [i, pending] of batch.entries()) {
        const outcome = reply.outcomes[i]!;
        if (outcome.ok) pending.resolve(outcome.result);
        else pending.reject(fromWire(outcome.error));
      }
    }
    send();
    settleIdle();
  };

  const onFailure = (error: unknown) => {
    broken = error;
    for (const pending of [...(inFlight ?? []), ...queue]) pending.reject(error);
    inFlight = undefined;
    queue = [];
    settleIdle();
  };

  /** Started by the first append: a store that only reads (a CLI, a replay) never starts a thread. */
  const startWorker = () => {
    const started = new Worker(new URL('./commit-worker.ts', import.meta.url), {
      workerData: { file },
      env: threadEnv(),
    });
    started.unref(); // an idle writer does not keep the process alive; a batch in flight does
    started.on('message', onReply);
    started.on('error', onFailure);
    return started;
  };

  return {
    append: (stream: string, events: NewEvent[], expected: ExpectedRevision) =>
      new Promise<AppendResult>((resolve, reject) => {
        if (broken) return reject(broken);
        queue.push({ stream, events, expected, resolve, reject });
        if (scheduled) return;
        scheduled = true;
        setImmediate(send);
      }),
    /** Writes what is queued, waits for it, then closes the writer's connection and thread. */
    async close() {
      send();
      if (inFlight) await new Promise<void>((resolve) => whenIdle.push(resolve));
      if (broken || !worker) return;
      const exited = once(worker, 'exit');
      worker.ref(); // until it has closed its connection
      worker.postMessage({ close: true } satisfies WriterRequest);
      await exited;
    },
  };
}
