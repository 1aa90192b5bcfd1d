import { Worker } from 'node:worker_threads';
import type { AuditTrail } from '@ferry/audit';
import { openReply } from '@ferry/bus';
import { DomainError } from '@ferry/contracts';
import type { TrailCall, TrailCallBody, TrailFiles, TrailMessage } from './trail-wire.ts';

const threadGone = () =>
  new DomainError({
    code: 'audit.trail_stopped',
    category: 'unavailable',
    message: 'The audit trail is not running',
  });

/**
 * The embedded audit trail on a thread of its own (`trail-worker.ts`, ADR 0043), behind the same
 * `AuditTrail` the audit service uses in any mode. The thread starts loading at once and this resolves
 * without waiting for it (a start is not made longer): calls made meanwhile wait in its port. A failure
 * of the trail's own, or of the thread, reaches `onError`, and the calls it leaves unanswered fail.
 */
export const startTrailThread = async (
  files: TrailFiles,
  onError: (error: unknown) => void,
): Promise<AuditTrail> => {
  const worker = new Worker(new URL('./trail-worker.ts', import.meta.url), { workerData: files });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let next = 0;
  let gone: unknown;
  const fail = (error: unknown) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on('message', (message: TrailMessage) => {
    if ('failure' in message) return onError(new Error(`audit trail: ${message.failure}`));
    const call = pending.get(message.id);
    pending.delete(message.id);
    try {
      call?.resolve(openReply(message.reply));
    } catch (error) {
      call?.reject(error);
    }
  });
  worker.on('error', (error) => {
    gone = error;
    onError(error);
    fail(error);
  });
  worker.on('exit', () => {
    gone ??= threadGone();
    fail(gone);
  });
  const ask = <T>(call: TrailCallBody): Promise<T> =>
    gone
      ? Promise.reject(gone)
      : new Promise<T>((resolve, reject) => {
          const id = next++;
          pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
          worker.postMessage({ ...call, id } satisfies TrailCall);
        });
  return {
    list: (request) => ask({ call: 'list', request }),
    waitFor: (position, timeoutMs) => ask({ call: 'waitFor', position, timeoutMs }),
    rebuild: () => ask({ call: 'rebuild' }),
    stop: async () => {
      if (gone) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await ask({ call: 'stop' });
      await exited;
    },
  };
};
