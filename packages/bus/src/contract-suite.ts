import { largeMessageContract } from './contract/large.ts';
import { afterEach, beforeEach, describe } from 'vitest';
import { eventContract } from './contract/events.ts';
import { pingContract } from './contract/ping.ts';
import { requestContract } from './contract/requests.ts';
import type { Buses } from './contract/support.ts';
import type { Bus } from './port.ts';

export interface OpenedBus {
  bus: Bus;
  /** A second client of the same bus (another connection on NATS), to prove delivery across processes. */
  second?: Bus;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every `Bus` transport must show (the guarantees listed in port.ts), run by each transport's
 * spec with its own `open`. Handlers live on `bus`, callers and publishers use `second` where it matters.
 */
export function busContract(name: string, open: () => Promise<OpenedBus>): void {
  describe(`Bus contract: ${name}`, () => {
    let opened: OpenedBus | undefined;
    let buses: Buses | undefined;
    beforeEach(async () => {
      opened = await open();
      buses = { bus: opened.bus, other: opened.second ?? opened.bus };
    });
    afterEach(async () => {
      await opened?.cleanup();
    });
    const current = () => buses!;
    requestContract(current);
    eventContract(current);
    largeMessageContract(current);
    pingContract(current);
  });
}
