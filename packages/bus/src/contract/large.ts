import { describe, expect, it } from 'vitest';
import { type Buses, subjects, until } from './support.ts';

/** A JSON value of about `megabytes` MB: far past a default nats-server's 1 MB max payload. */
const bulky = (megabytes: number) => ({
  rows: Array.from({ length: megabytes * 1024 }, (_, n) => ({ n, text: `${n}:`.padEnd(1000, 'x') })),
});

export function largeMessageContract(current: () => Buses): void {
  describe('messages of any size', () => {
    it('delivers a reply of several MB whole', async () => {
      const { bus, other } = current();
      const subject = subjects()('big-reply');
      const value = bulky(5);
      await bus.handle(subject, () => value);
      expect(await other.request(subject, {}, { timeoutMs: 20_000 })).toEqual(value);
    });

    it('delivers a request body of several MB whole', async () => {
      const { bus, other } = current();
      const subject = subjects()('big-request');
      const value = bulky(3);
      await bus.handle(subject, (payload) => ({ rows: (payload as typeof value).rows.length }));
      expect(await other.request(subject, value, { timeoutMs: 20_000 })).toEqual({ rows: value.rows.length });
    });

    it('delivers an event of several MB whole, with its headers', async () => {
      const { bus, other } = current();
      const subject = subjects()('big-event');
      const value = bulky(3);
      const seen: Array<{ payload: unknown; headers: unknown }> = [];
      await other.subscribe(
        subject,
        (payload, context) => void seen.push({ payload, headers: context.headers }),
      );
      await bus.publish(subject, value, { 'ferry-correlation-id': 'c-1' });
      await bus.publish(subject, { small: true });
      await until(() => seen.length === 2, 20_000);
      expect(seen).toEqual([
        { payload: value, headers: { 'ferry-correlation-id': 'c-1' } },
        { payload: { small: true }, headers: {} },
      ]);
    });
  });
}
