import { describe, expect, it } from 'vitest';
import type { Document, FindOptions } from '../port.ts';
import { type Harness, ids, seed } from './harness.ts';

/** Values whose JSON text could come back respelled: escapes, non-ASCII, numbers, nested key order. */
const tricky = {
  z: 1,
  a: [1.5, -2, 1e21, 0.1, 123456789012, 5e-7],
  s: 'é "quoted" \\ back\nline\t \u2028 😀',
  n: null,
  nested: { b: true, a: false, empty: {}, none: [] },
};
const docs: Document[] = [
  { id: 't1', view: tricky, name: 'x' },
  { id: 't0', view: 'just a string', other: 5 },
  { id: 't2', name: null },
  // What JSON.stringify spells with \u: control characters, a lone surrogate, a NUL.
  { id: 't3', view: { s: '\u0001 \ud800 \u0000', k: ['\udc00'] }, name: 'y' },
];

const sources: Document[] = [
  { id: 's3', name: 'pg', workspaceId: 'w1', status: 'active', port: 10 },
  { id: 's1', name: 'Mysql', workspaceId: 'w2', status: 'inactive', port: 2 },
  { id: 's2', name: 'faker', workspaceId: 'w1', status: 'deprecated', port: 100 },
  { id: 's4', name: 'csv', workspaceId: 'w1', status: 'active', port: 10 },
];

export function textsContract(harness: Harness): void {
  describe('findTexts', () => {
    it("gives each field's JSON text exactly as put, undefined when the document lacks it", async () => {
      await seed(harness.store(), 'texts', docs);
      expect(await harness.store().findTexts('texts', ['view', 'name'])).toEqual([
        { id: 't0', texts: [JSON.stringify('just a string'), undefined] },
        { id: 't1', texts: [JSON.stringify(tricky), '"x"'] },
        { id: 't2', texts: [undefined, 'null'] },
        { id: 't3', texts: [JSON.stringify(docs[3]!.view), '"y"'] },
      ]);
      expect(await harness.store().findTexts('texts', [])).toEqual(
        ['t0', 't1', 't2', 't3'].map((id) => ({ id, texts: [] })),
      );
      expect(await harness.store().findTexts('never_written', ['view'])).toEqual([]);
    });

    it('returns the documents find returns, in its order, tombstones never', async () => {
      await seed(harness.store(), 'sources', sources);
      await harness.store().commit('contract_seed', 2, [{ collection: 'sources', op: 'delete', id: 's4' }]);
      const cases: FindOptions[] = [
        {},
        { where: { workspaceId: 'w1' } },
        { where: { status: ['active', 'inactive'] }, limit: 1 },
        { orderBy: { field: 'port', direction: 'desc' } },
        { idRange: { gt: 's1' }, limit: 2 },
      ];
      for (const options of cases) {
        const found = await harness.store().find('sources', options);
        const texts = await harness.store().findTexts('sources', ['name', 'port'], options);
        expect(texts.map((row) => row.id)).toEqual(ids(found));
        expect(texts.map((row) => row.texts)).toEqual(
          found.map((doc) => [JSON.stringify(doc.name), JSON.stringify(doc.port)]),
        );
      }
    });

    it('reads whole lists again as the storage holds them, whichever store wrote it', async () => {
      // An adapter may keep what an earlier whole read gave: every change since must show in the next one.
      const [first, second] = [harness.store(), await harness.reopen()];
      await seed(first, 'sources', sources);
      const agree = async (options: FindOptions, fields = ['name', 'port']) => {
        for (const store of [first, second]) {
          const found = await store.find('sources', options);
          expect(await store.findTexts('sources', fields, options)).toEqual(
            found.map((doc) => ({ id: doc.id, texts: fields.map((f) => JSON.stringify(doc[f])) })),
          );
        }
      };
      const live = { where: { status: ['active', 'inactive'] } };
      await agree(live);
      await agree({ where: { workspaceId: 'w1' } });
      await first.commit('contract_seed', 2, [
        { collection: 'sources', op: 'put', doc: { ...sources[0]!, name: 'pg2' } },
        { collection: 'sources', op: 'put', doc: { ...sources[1]!, status: 'deprecated' } },
        { collection: 'sources', op: 'put', doc: { ...sources[2]!, status: 'active' } },
        {
          collection: 'sources',
          op: 'put',
          doc: { id: 's0', name: 'new', workspaceId: 'w1', status: 'active' },
        },
      ]);
      await agree(live, ['port', 'name', 'status']);
      await second.commit('contract_seed', 3, [
        { collection: 'sources', op: 'delete', id: 's4' },
        { collection: 'sources', op: 'put', doc: { ...sources[1]!, port: 3 } },
      ]);
      await agree(live);
      await agree({ where: { workspaceId: 'w2' } });
      await agree({});
      await first.reset('contract_seed', ['sources']);
      await agree(live);
    });

    it('refuses field and collection names find refuses', async () => {
      await seed(harness.store(), 'sources', sources);
      await expect(harness.store().findTexts('sources', ['a.b'])).rejects.toThrow();
      await expect(harness.store().findTexts('sources', ["name') --"])).rejects.toThrow();
      await expect(harness.store().findTexts('Sources', ['name'])).rejects.toThrow();
    });
  });
}
