import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../port.ts';
import { type Buses, sleep, subjects, until } from './support.ts';

/** Collects what a subscriber receives. */
function inbox() {
  const received: { payload: unknown; context: MessageContext }[] = [];
  const handler = (payload: unknown, context: MessageContext) => {
    received.push({ payload, context });
  };
  return { received, handler };
}

export function eventContract(current: () => Buses): void {
  describe('publish/subscribe', () => {
    it('delivers each event to every plain subscriber, with its headers', async () => {
      const { bus, other } = current();
      const subject = subjects()('created');
      const [first, second] = [inbox(), inbox()];
      await bus.subscribe(subject, first.handler);
      await other.subscribe(subject, second.handler);
      const headers = { 'ferry-correlation-id': 'corr-1' };
      await other.publish(subject, { id: 1, at: new Date(0) }, headers);
      await until(() => first.received.length === 1 && second.received.length === 1);
      for (const { received } of [first, second]) {
        expect(received).toEqual([
          { payload: { id: 1, at: new Date(0).toJSON() }, context: { subject, headers } },
        ]);
      }
    });

    it('delivers each event to one member of a queue group', async () => {
      const { bus, other } = current();
      const subject = subjects()('work');
      const [a, b] = [inbox(), inbox()];
      await bus.subscribe(subject, a.handler, { queue: 'audit' });
      await other.subscribe(subject, b.handler, { queue: 'audit' });
      for (let i = 0; i < 20; i++) await other.publish(subject, i);
      await until(() => a.received.length + b.received.length >= 20);
      await sleep(50);
      const payloads = [...a.received, ...b.received].map(({ payload }) => payload as number);
      expect(payloads.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('matches `*` to one token and `>` to the rest', async () => {
      const { bus, other } = current();
      const subject = subjects();
      const [oneToken, rest] = [inbox(), inbox()];
      await bus.subscribe(subject('*.created'), oneToken.handler);
      await bus.subscribe(subject('>'), rest.handler);
      for (const suffix of ['source.created', 'source.x.created', 'source.deleted']) {
        await other.publish(subject(suffix), suffix);
      }
      await until(() => rest.received.length === 3);
      await sleep(50);
      expect(oneToken.received.map(({ payload }) => payload)).toEqual(['source.created']);
    });

    it('stops delivering after unsubscribe', async () => {
      const { bus, other } = current();
      const subject = subjects();
      const [events, marker] = [inbox(), inbox()];
      const subscription = await bus.subscribe(subject('events'), events.handler);
      await bus.subscribe(subject('marker'), marker.handler);
      await other.publish(subject('events'), 'before');
      await until(() => events.received.length === 1);
      await subscription.unsubscribe();
      await other.publish(subject('events'), 'after');
      // Events from one publisher reach one client in order: once the marker is in, 'after' would be too.
      await other.publish(subject('marker'), 'marker');
      await until(() => marker.received.length === 1);
      expect(events.received.map(({ payload }) => payload)).toEqual(['before']);
    });

    it('keeps a throwing subscriber from affecting the publisher and other subscribers', async () => {
      const { bus, other } = current();
      const subject = subjects()('fragile');
      const healthy = inbox();
      await bus.subscribe(subject, () => {
        throw new Error('subscriber bug');
      });
      await bus.subscribe(subject, healthy.handler);
      await expect(other.publish(subject, 1)).resolves.toBeUndefined();
      await other.publish(subject, 2);
      await until(() => healthy.received.length === 2);
    });
  });
}
