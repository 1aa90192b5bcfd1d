import { randomUUID } from 'node:crypto';
import type { Bus } from '../port.ts';

export interface Buses {
  bus: Bus;
  /** Another client of the same bus; the same object for the in-process transport. */
  other: Bus;
}

/** Subjects unique to one test, so tests sharing a nats-server never see each other's messages. */
export function subjects(): (suffix: string) => string {
  const prefix = `test.${randomUUID().slice(0, 8)}`;
  return (suffix) => `${prefix}.${suffix}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for asynchronous delivery: over the wire there is no moment at which it is known to be done. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A promise a test resolves by hand, to hold a handler in flight. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
