import { describe, expect, it } from 'vitest';
import { type Harness, newEvents, uniqueStream } from './harness.ts';

export function durabilityContract(harness: Harness): void {
  describe('durability', () => {
    it('keeps every acknowledged event across close and reopen', async () => {
      const stream = uniqueStream();
      const appended = await harness.store().append(stream, newEvents(3), 'no_stream');
      const before = await harness.store().readStream(stream);
      const head = await harness.store().headPosition();
      await harness.store().close();
      const reopened = await harness.reopen();
      expect(await reopened.readStream(stream)).toEqual(before);
      expect(await reopened.headPosition()).toBeGreaterThanOrEqual(head);
      const next = await reopened.append(stream, newEvents(1), appended.nextExpectedRevision);
      expect(next.nextExpectedRevision).toBe(3);
      expect(next.position).toBeGreaterThan(head);
    });

    it('close can be called twice', async () => {
      await harness.store().close();
      await expect(harness.store().close()).resolves.toBeUndefined();
    });
  });
}
