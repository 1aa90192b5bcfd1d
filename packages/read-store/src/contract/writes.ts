import { describe, expect, it } from 'vitest';
import { JsonText } from '../json-text.ts';
import type { Document } from '../port.ts';
import { type Harness, ids, seed } from './harness.ts';

/** Key order, nesting, unicode and nulls: what a byte-for-byte rebuild comparison depends on. */
const awkward: Document = {
  name: 'Zürich → 東京 "quoted" \\ back',
  id: 'doc-1',
  zeta: 1,
  alpha: { z: [3, 'two', { b: null, a: true }], a: -0.5 },
  empty: {},
  none: null,
  big: 12345678901,
  list: [],
};

export function writeContract(harness: Harness): void {
  describe('commit and checkpoint', () => {
    it('gives documents back with the same JSON, key order included', async () => {
      await seed(harness.store(), 'docs', [awkward]);
      expect(JSON.stringify(await harness.store().get('docs', 'doc-1'))).toBe(JSON.stringify(awkward));
      expect(JSON.stringify(await harness.store().find('docs'))).toBe(JSON.stringify([awkward]));
    });

    it('stores a JsonText as the value it holds: read back parsed, its text as it was', async () => {
      // What a replay puts for a field a projection only copies (`Projection.textFields`).
      const { alpha, list } = awkward;
      const doc = { ...awkward, alpha: new JsonText(JSON.stringify(alpha)), list: new JsonText('[]') };
      await seed(harness.store(), 'docs', [doc]);
      expect(JSON.stringify(await harness.store().get('docs', 'doc-1'))).toBe(JSON.stringify(awkward));
      expect(await harness.store().get('docs', 'doc-1')).toEqual({ ...awkward, alpha, list });
      const [texts] = await harness.store().findTexts('docs', ['alpha', 'name']);
      expect(texts?.texts).toEqual([JSON.stringify(alpha), JSON.stringify(awkward.name)]);
    });

    it('keeps a NUL in a string: the document comes back exactly and is found by its other fields', async () => {
      // A client can put a NUL into a name through the API: it must not stop the projection that stores it.
      const doc = { id: 'nul', name: 'before\u0000after', workspaceId: 'w1', nested: { note: ['\u0000'] } };
      await seed(harness.store(), 'docs', [doc, { id: 'other', name: 'plain', workspaceId: 'w2' }]);
      expect(JSON.stringify(await harness.store().get('docs', 'nul'))).toBe(JSON.stringify(doc));
      const found = await harness.store().find('docs', { where: { workspaceId: 'w1' } });
      expect(JSON.stringify(found)).toBe(JSON.stringify([doc]));
      const byName = { orderBy: { field: 'name', direction: 'asc' as const } };
      expect(await harness.store().find('docs', byName).then(ids)).toEqual(['nul', 'other']);
    });

    it('commitAll applies each commit as commit would, checkpoints included', async () => {
      const store = harness.store();
      await store.commit('behind', 5, [{ collection: 'jobs', op: 'put', doc: { id: 'j', v: 5 } }]);
      await store.commitAll([
        {
          projection: 'sources',
          position: 3,
          changes: [{ collection: 'docs', op: 'put', doc: { id: 's' } }],
        },
        { projection: 'idle', position: 3, changes: [] },
        // Below the document's position and the checkpoint: the put is ignored, the checkpoint kept.
        {
          projection: 'behind',
          position: 3,
          changes: [{ collection: 'jobs', op: 'put', doc: { id: 'j', v: 3 } }],
        },
      ]);
      expect(await store.get('docs', 's')).toEqual({ id: 's' });
      expect(await store.get('jobs', 'j')).toEqual({ id: 'j', v: 5 });
      const checkpoints = await Promise.all(['sources', 'idle', 'behind'].map((p) => store.checkpoint(p)));
      expect(checkpoints).toEqual([3, 3, 5]);
    });

    it('commitAll with `more` applies at once and lands, checkpoints included, with the next', async () => {
      const store = harness.store();
      const put = (projection: string, position: number, id: string) => ({
        projection,
        position,
        changes: [{ collection: 'docs', op: 'put' as const, doc: { id } }],
      });
      await store.commitAll([put('a', 2, 'a2')], { more: true });
      expect(await store.get('docs', 'a2')).toEqual({ id: 'a2' });
      expect(await store.checkpoint('a')).toBe(2);
      await expect(store.commitAll([put('a', 3, 'a3')], { more: true })).resolves.toBeUndefined();
      await store.commitAll([put('b', 4, 'b4')]);
      await store.close();
      const reopened = await harness.reopen();
      expect(ids(await reopened.find('docs'))).toEqual(['a2', 'a3', 'b4']);
      expect([await reopened.checkpoint('a'), await reopened.checkpoint('b')]).toEqual([3, 4]);
    });

    it('put replaces the whole document', async () => {
      await seed(harness.store(), 'docs', [{ id: 'a', name: 'old', extra: 1 }]);
      await seed(harness.store(), 'docs', [{ id: 'a', name: 'new' }], 2);
      expect(await harness.store().get('docs', 'a')).toEqual({ id: 'a', name: 'new' });
    });

    it('delete removes a document; deleting an absent one is harmless', async () => {
      await seed(harness.store(), 'docs', [{ id: 'a' }, { id: 'b' }]);
      await harness.store().commit('p', 2, [
        { collection: 'docs', op: 'delete', id: 'a' },
        { collection: 'docs', op: 'delete', id: 'never' },
      ]);
      expect(await harness.store().find('docs').then(ids)).toEqual(['b']);
    });

    it('applies the changes of one commit in order, across collections, at one position', async () => {
      await harness.store().commit('p', 7, [
        { collection: 'docs', op: 'put', doc: { id: 'a', v: 1 } },
        { collection: 'docs', op: 'delete', id: 'a' },
        { collection: 'docs', op: 'delete', id: 'b' },
        { collection: 'docs', op: 'put', doc: { id: 'b', v: 2 } },
        { collection: 'others', op: 'put', doc: { id: 'a', v: 3 } },
        { collection: 'docs', op: 'put', doc: { id: 'b', v: 4 } },
      ]);
      expect(await harness.store().find('docs')).toEqual([{ id: 'b', v: 4 }]);
      expect(await harness.store().find('others')).toEqual([{ id: 'a', v: 3 }]);
    });

    it('keeps collections apart, even for the same id', async () => {
      await seed(harness.store(), 'first', [{ id: 'x', in: 'first' }]);
      await seed(harness.store(), 'second', [{ id: 'x', in: 'second' }]);
      expect(await harness.store().get('first', 'x')).toEqual({ id: 'x', in: 'first' });
      expect(await harness.store().find('second')).toEqual([{ id: 'x', in: 'second' }]);
    });

    it('checkpoint is 0 before the first commit, then the last committed position, per projection', async () => {
      expect(await harness.store().checkpoint('sources')).toBe(0);
      await harness.store().commit('sources', 5, [{ collection: 'docs', op: 'put', doc: { id: 'a' } }]);
      await harness.store().commit('sources', 9, []);
      expect(await harness.store().checkpoint('sources')).toBe(9);
      expect(await harness.store().checkpoint('connections')).toBe(0);
    });

    it('a commit that fails part-way changes nothing, checkpoint included', async () => {
      await harness.store().commit('p', 3, [{ collection: 'docs', op: 'put', doc: { id: 'a', v: 1 } }]);
      const put = (collection: string, doc: Document) => ({ collection, op: 'put' as const, doc });
      const badName = [put('docs', { id: 'a', v: 2 }), put('Bad-Name', { id: 'b' })];
      const notJson = [put('docs', { id: 'a', v: 2 }), put('docs', { id: 'b', v: 10n })];
      await expect(harness.store().commit('p', 4, badName)).rejects.toThrow();
      await expect(harness.store().commit('p', 4, notJson)).rejects.toThrow();
      expect(await harness.store().find('docs')).toEqual([{ id: 'a', v: 1 }]);
      expect(await harness.store().checkpoint('p')).toBe(3);
    });
  });
}
