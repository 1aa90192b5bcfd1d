import { describe, expect, it } from 'vitest';
import type { Buses } from './support.ts';

/** `ping` is what a process's health endpoint asks (services/ferry/src/health.ts). */
export function pingContract(current: () => Buses): void {
  describe('ping', () => {
    it('answers true while the bus is open and false once it is closed, without throwing', async () => {
      const { bus } = current();
      expect(await bus.ping()).toBe(true);
      await bus.close();
      expect(await bus.ping()).toBe(false);
    });
  });
}
