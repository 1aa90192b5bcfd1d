import { describe, expect, it } from 'vitest';
import type { Change, Document } from '../port.ts';
import { type Harness, ids } from './harness.ts';

const put = (doc: Document): Change => ({ collection: 'docs', op: 'put', doc });
const del = (id: string): Change => ({ collection: 'docs', op: 'delete', id });

/** Several projectors of one projection may write at once: nothing they do may move a document back. */
export function monotonicContract(harness: Harness): void {
  describe('monotonic writes', () => {
    it('ignores a put older than the document', async () => {
      const store = harness.store();
      await store.commit('p', 5, [put({ id: 'a', v: 5 })]);
      await store.commit('p', 3, [put({ id: 'a', v: 3 }), put({ id: 'b', v: 3 })]);
      expect(await store.get('docs', 'a')).toEqual({ id: 'a', v: 5 });
      expect(await store.find('docs')).toEqual([
        { id: 'a', v: 5 },
        { id: 'b', v: 3 },
      ]);
    });

    it('ignores a put or delete at the position that wrote the document', async () => {
      const store = harness.store();
      await store.commit('p', 4, [put({ id: 'a', v: 1 }), put({ id: 'b', v: 1 })]);
      await store.commit('p', 4, [put({ id: 'a', v: 2 }), del('b')]);
      expect(await store.find('docs')).toEqual([
        { id: 'a', v: 1 },
        { id: 'b', v: 1 },
      ]);
    });

    it('ignores a delete older than the document', async () => {
      const store = harness.store();
      await store.commit('p', 5, [put({ id: 'a', v: 5 })]);
      await store.commit('p', 2, [del('a')]);
      expect(await store.get('docs', 'a')).toEqual({ id: 'a', v: 5 });
    });

    it('keeps a deleted document deleted against an older put', async () => {
      const store = harness.store();
      await store.commit('p', 2, [put({ id: 'a', v: 2, gone: null }), put({ id: 'b', v: 2 })]);
      await store.commit('p', 6, [del('a')]);
      await store.commit('p', 4, [put({ id: 'a', v: 4, gone: null })]);
      await store.commit('p', 6, [put({ id: 'a', v: 6, gone: null })]);
      expect(await store.get('docs', 'a')).toBeNull();
      expect(await store.find('docs').then(ids)).toEqual(['b']);
      // A tombstone matches no query, not even one for null or absent fields.
      expect(await store.find('docs', { where: { gone: null } }).then(ids)).toEqual(['b']);
      const byV = await store.find('docs', { orderBy: { field: 'v', direction: 'desc' }, limit: 5 });
      expect(ids(byV)).toEqual(['b']);
    });

    it('deleting an absent document still shuts out older puts, not newer ones', async () => {
      const store = harness.store();
      await store.commit('p', 9, [del('never')]);
      await store.commit('p', 8, [put({ id: 'never', v: 8 })]);
      expect(await store.get('docs', 'never')).toBeNull();
      await store.commit('p', 10, [put({ id: 'never', v: 10 })]);
      expect(await store.get('docs', 'never')).toEqual({ id: 'never', v: 10 });
    });

    it('brings a deleted document back with a newer put, exactly as put', async () => {
      const store = harness.store();
      await store.commit('p', 2, [put({ id: 'a', v: 2 })]);
      await store.commit('p', 3, [del('a')]);
      const back = { z: true, id: 'a', v: 7 };
      await store.commit('p', 7, [put(back)]);
      expect(JSON.stringify(await store.get('docs', 'a'))).toBe(JSON.stringify(back));
      expect(JSON.stringify(await store.find('docs'))).toBe(JSON.stringify([back]));
    });

    it('within one commit only the last change to a document counts', async () => {
      const store = harness.store();
      await store.commit('p', 5, [put({ id: 'a', v: 5 }), put({ id: 'b', v: 5 })]);
      await store.commit('p', 6, [del('a'), put({ id: 'a', v: 6 }), put({ id: 'b', v: 6 }), del('b')]);
      await store.commit('p', 4, [del('a'), put({ id: 'b', v: 4 })]);
      expect(await store.find('docs')).toEqual([{ id: 'a', v: 6 }]);
    });

    it('never moves a checkpoint backwards', async () => {
      const store = harness.store();
      await store.commit('p', 8, []);
      await store.commit('p', 5, [put({ id: 'a', v: 5 })]);
      expect(await store.checkpoint('p')).toBe(8);
      expect(await store.get('docs', 'a')).toEqual({ id: 'a', v: 5 });
      await store.commit('p', 8, []);
      await store.commit('p', 12, []);
      expect(await store.checkpoint('p')).toBe(12);
    });

    it('reset forgets tombstones and positions: a rebuild writes from position 1 again', async () => {
      const store = harness.store();
      await store.commit('p', 40, [put({ id: 'a', v: 40 }), del('b')]);
      await store.reset('p', ['docs']);
      await store.commit('p', 1, [put({ id: 'a', v: 1 }), put({ id: 'b', v: 1 })]);
      expect(await store.find('docs')).toEqual([
        { id: 'a', v: 1 },
        { id: 'b', v: 1 },
      ]);
      expect(await store.checkpoint('p')).toBe(1);
    });

    it('holds across two stores over the same storage, as for two replicas', async () => {
      const first = harness.store();
      const second = await harness.reopen();
      await first.commit('p', 3, [put({ id: 'a', v: 3 })]);
      await second.commit('p', 5, [put({ id: 'a', v: 5 }), del('b')]);
      await first.commit('p', 4, [put({ id: 'a', v: 4 }), put({ id: 'b', v: 4 })]);
      for (const store of [first, second]) {
        expect(await store.find('docs')).toEqual([{ id: 'a', v: 5 }]);
        expect(await store.checkpoint('p')).toBe(5);
      }
    });

    it('a batch commit records and judges each change by its own event', async () => {
      const store = harness.store();
      await store.commit('p', 4, [put({ id: 'b', v: 4 })]);
      await store.commit('p', 9, [
        { ...put({ id: 'a', v: 2 }), position: 2 },
        { ...put({ id: 'b', v: 3 }), position: 3 },
        { ...del('c'), position: 7 },
      ]);
      expect(await store.find('docs')).toEqual([
        { id: 'a', v: 2 },
        { id: 'b', v: 4 },
      ]);
      expect(await store.getVersioned('docs', 'a')).toEqual({ doc: { id: 'a', v: 2 }, position: 2 });
      expect(await store.getVersioned('docs', 'b')).toEqual({ doc: { id: 'b', v: 4 }, position: 4 });
      expect(await store.getVersioned('docs', 'c')).toEqual({ doc: null, position: 7 });
      expect(await store.getVersioned('docs', 'never')).toEqual({ doc: null, position: 0 });
      expect(await store.getVersioned('never_written', 'a')).toEqual({ doc: null, position: 0 });
      await store.commit('p', 5, [put({ id: 'a', v: 5 }), put({ id: 'c', v: 5 })]);
      expect(await store.find('docs')).toEqual([
        { id: 'a', v: 5 },
        { id: 'b', v: 4 },
      ]);
      expect(await store.checkpoint('p')).toBe(9);
    });

    it("refuses a change whose position is above the commit's, writing nothing", async () => {
      const store = harness.store();
      await expect(
        store.commit('p', 3, [put({ id: 'a', v: 1 }), { ...del('b'), position: 4 }]),
      ).rejects.toThrow();
      expect(await store.find('docs')).toEqual([]);
      expect(await store.checkpoint('p')).toBe(0);
    });
  });
}
