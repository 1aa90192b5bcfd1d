import { describe, expect, it } from 'vitest';
import type { Document } from '../port.ts';
import { type Harness, ids, seed } from './harness.ts';

const sources: Document[] = [
  { id: 's3', name: 'pg', workspaceId: 'w1', status: 'active', port: 10, tags: ['a'], deletedAt: null },
  { id: 's1', name: 'Mysql', workspaceId: 'w2', status: 'inactive', port: 2, tags: [], deletedAt: '2026' },
  { id: 's2', name: 'faker', workspaceId: 'w1', status: 'deprecated', port: 100, deletedAt: null },
  { id: 's4', name: 'csv', workspaceId: 'w1', status: 'active', port: 10, tags: ['b'], secure: true },
];

export function queryContract(harness: Harness): void {
  describe('get and find', () => {
    it('get returns the document by id, null when absent or the collection was never written', async () => {
      await seed(harness.store(), 'sources', sources);
      expect(await harness.store().get('sources', 's2')).toEqual(sources[2]);
      expect(await harness.store().get('sources', 'missing')).toBeNull();
      expect(await harness.store().get('never_written', 's2')).toBeNull();
      expect(await harness.store().find('never_written')).toEqual([]);
    });

    it('find without options returns every document, ordered by id', async () => {
      await seed(harness.store(), 'sources', sources);
      expect(await harness.store().find('sources')).toEqual([sources[1], sources[2], sources[0], sources[3]]);
    });

    it('where is equality on each field (all must hold), with strict types', async () => {
      await seed(harness.store(), 'sources', sources);
      const find = (where: Record<string, string | number | boolean | null>) =>
        harness.store().find('sources', { where }).then(ids);
      expect(await find({ workspaceId: 'w1' })).toEqual(['s2', 's3', 's4']);
      expect(await find({ workspaceId: 'w1', port: 10 })).toEqual(['s3', 's4']);
      expect(await find({ secure: true })).toEqual(['s4']);
      expect(await find({ port: '10' })).toEqual([]);
      expect(await find({ workspaceId: 'w9' })).toEqual([]);
    });

    it('an array in where means any of its values', async () => {
      await seed(harness.store(), 'sources', sources);
      const find = (status: Array<string | null>) =>
        harness.store().find('sources', { where: { status } }).then(ids);
      expect(await find(['active', 'inactive'])).toEqual(['s1', 's3', 's4']);
      expect(await find([])).toEqual([]);
      expect(
        await harness
          .store()
          .find('sources', { where: { port: [2, 100] } })
          .then(ids),
      ).toEqual(['s1', 's2']);
    });

    it('null in where matches a field that is null or absent', async () => {
      await seed(harness.store(), 'sources', sources);
      expect(
        await harness
          .store()
          .find('sources', { where: { deletedAt: null } })
          .then(ids),
      ).toEqual(['s2', 's3', 's4']);
      const anyOf = await harness.store().find('sources', { where: { deletedAt: [null, '2026'] } });
      expect(ids(anyOf)).toEqual(['s1', 's2', 's3', 's4']);
    });

    it('orderBy sorts strings by code point and numbers numerically, ties by id', async () => {
      await seed(harness.store(), 'sources', sources);
      const order = (field: string, direction: 'asc' | 'desc') =>
        harness.store().find('sources', { orderBy: { field, direction } }).then(ids);
      expect(await order('name', 'asc')).toEqual(['s1', 's4', 's2', 's3']);
      expect(await order('name', 'desc')).toEqual(['s3', 's2', 's4', 's1']);
      expect(await order('port', 'asc')).toEqual(['s1', 's3', 's4', 's2']);
      expect(await order('port', 'desc')).toEqual(['s2', 's3', 's4', 's1']);
    });

    it('limit keeps the first documents of the order', async () => {
      await seed(harness.store(), 'sources', sources);
      const options = {
        where: { workspaceId: 'w1' },
        orderBy: { field: 'port', direction: 'desc' as const },
      };
      expect(
        await harness
          .store()
          .find('sources', { ...options, limit: 2 })
          .then(ids),
      ).toEqual(['s2', 's3']);
      expect(await harness.store().find('sources', { limit: 1 }).then(ids)).toEqual(['s1']);
    });

    it('idRange keeps the ids strictly between its bounds, by code point, with where, orderBy and limit', async () => {
      const keyed = ['k|001', 'k|002', 'k|010', 'k|~', 'k', 'k|0', 'l|001', 'K|001', 'k|é'].map((id, i) => ({
        id,
        n: i,
      }));
      await seed(harness.store(), 'keyed', keyed);
      const find = (options: object) => harness.store().find('keyed', options).then(ids);
      const range = { gt: 'k|', lt: 'k|~' };
      expect(await find({ idRange: range })).toEqual(['k|0', 'k|001', 'k|002', 'k|010']);
      expect(await find({ idRange: { gt: 'k|001', lt: 'k|~' }, limit: 2 })).toEqual(['k|002', 'k|010']);
      expect(await find({ idRange: { gt: 'k|~' } })).toEqual(['k|é', 'l|001']);
      expect(await find({ idRange: { lt: 'k' } })).toEqual(['K|001']);
      expect(await find({ idRange: range, where: { n: [0, 2, 7] } })).toEqual(['k|001', 'k|010']);
      expect(await find({ idRange: range, orderBy: { field: 'n', direction: 'desc' } })).toEqual([
        'k|0',
        'k|010',
        'k|002',
        'k|001',
      ]);
    });

    it('refuses field names that are not plain identifiers', async () => {
      await seed(harness.store(), 'sources', sources);
      await expect(harness.store().find('sources', { where: { 'a.b': 1 } })).rejects.toThrow();
      await expect(harness.store().find('sources', { where: { $where: 1 } })).rejects.toThrow();
      const orderBy = { field: "name') --", direction: 'asc' as const };
      await expect(harness.store().find('sources', { orderBy })).rejects.toThrow();
    });

    it('refuses collection names outside [a-z][a-z0-9_]*', async () => {
      for (const name of ['Sources', '1sources', 'sources-x', 'x; drop table y', '_checkpoints', '']) {
        await expect(harness.store().get(name, 'id')).rejects.toThrow();
        await expect(harness.store().find(name)).rejects.toThrow();
      }
    });
  });
}
