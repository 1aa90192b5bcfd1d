import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStore } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayDocuments } from './replay-documents.ts';

describe('ReplayDocuments', () => {
  let dir: string;
  let store: ReadStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-replay-documents-'));
    store = createSqliteReadStore({ file: join(dir, 'reads.sqlite') });
    // Written by someone else: a replay from the start writes the same documents, so it need not read them.
    await store.commit('things', 7, [{ collection: 'things', op: 'put', doc: { id: 'other', n: 1 } }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const doc = (id: string, position: number) => ({ doc: { id, position }, position });

  it('answers what it remembers, and from the start holds every document it will need', async () => {
    const documents = new ReplayDocuments(store, 'things', true, 2);
    documents.remember(new Map([['a', doc('a', 3)]]));
    expect(await documents.get('a')).toEqual(doc('a', 3));
    expect(await documents.get('other')).toEqual({ doc: null, position: 0 });
  });

  it('reads the store once it had to forget, and when it did not start from the beginning', async () => {
    const documents = new ReplayDocuments(store, 'things', true, 2);
    documents.remember(
      new Map([
        ['a', doc('a', 3)],
        ['b', doc('b', 4)],
      ]),
    );
    documents.remember(
      new Map([
        ['a', doc('a', 5)],
        ['c', doc('c', 6)],
      ]),
    );
    expect(await documents.get('a')).toEqual(doc('a', 5));
    expect(await documents.get('c')).toEqual(doc('c', 6));
    expect(await documents.get('b')).toEqual({ doc: null, position: 0 }); // never committed in this test
    expect(await documents.get('other')).toEqual({ doc: { id: 'other', n: 1 }, position: 7 });
    const resumed = new ReplayDocuments(store, 'things', false, 2);
    expect(await resumed.get('other')).toEqual({ doc: { id: 'other', n: 1 }, position: 7 });
  });
});
