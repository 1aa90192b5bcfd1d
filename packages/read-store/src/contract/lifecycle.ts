import { describe, expect, it } from 'vitest';
import { type Harness, seed } from './harness.ts';

export function lifecycleContract(harness: Harness): void {
  describe('reset, ping and durability', () => {
    it('reset empties the given collections and forgets the checkpoint, nothing else', async () => {
      await harness.store().commit('sources', 4, [
        { collection: 'sources', op: 'put', doc: { id: 'a' } },
        { collection: 'source_names', op: 'put', doc: { id: 'b' } },
      ]);
      await harness.store().commit('jobs', 6, [{ collection: 'jobs', op: 'put', doc: { id: 'j' } }]);
      await harness.store().reset('sources', ['sources', 'source_names', 'never_written']);
      expect(await harness.store().find('sources')).toEqual([]);
      expect(await harness.store().find('source_names')).toEqual([]);
      expect(await harness.store().checkpoint('sources')).toBe(0);
      expect(await harness.store().find('jobs')).toEqual([{ id: 'j' }]);
      expect(await harness.store().checkpoint('jobs')).toBe(6);
    });

    it('is usable again after reset', async () => {
      await seed(harness.store(), 'docs', [{ id: 'a' }]);
      await harness.store().reset('contract_seed', ['docs']);
      await harness.store().commit('contract_seed', 2, [{ collection: 'docs', op: 'put', doc: { id: 'b' } }]);
      expect(await harness.store().find('docs')).toEqual([{ id: 'b' }]);
      expect(await harness.store().checkpoint('contract_seed')).toBe(2);
    });

    it('answers ping and describes itself', async () => {
      expect(await harness.store().ping()).toBe(true);
      expect(harness.store().describe()).toMatch(/\S/);
    });

    it('keeps documents and checkpoints across close and reopen', async () => {
      const doc = { id: 'a', z: 1, a: [1, 2] };
      await harness.store().commit('p', 11, [{ collection: 'docs', op: 'put', doc }]);
      await harness.store().close();
      const reopened = await harness.reopen();
      expect(JSON.stringify(await reopened.get('docs', 'a'))).toBe(JSON.stringify(doc));
      expect(await reopened.checkpoint('p')).toBe(11);
    });

    it('close can be called twice', async () => {
      await harness.store().close();
      await expect(harness.store().close()).resolves.toBeUndefined();
    });
  });
}
