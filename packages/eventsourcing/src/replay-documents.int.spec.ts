import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document, ReadStore, Versioned } from '@ferry/read-store';
import { createSqliteReadStore } from '@ferry/read-store-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplayDocuments } from './replay-documents.ts';

describe('ReplayDocuments', () => {
  let dir: string;
  let store: ReadStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-replay-documents-'));
    store = createSqliteReadStore({ file: join(dir, 'reads.sqlite') });
    const put = (id: string, position: number) => ({
      collection: 'things',
      op: 'put' as const,
      doc: { id, n: position },
      position,
    });
    await store.commit('things', 7, [put('a', 3), put('b', 4), put('other', 7)]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const versioned = (id: string, position: number): Versioned<Document> => ({
    doc: { id, n: position },
    position,
  });
  const never: Versioned<Document> = { doc: null, position: 0 };

  it('from the start, reads back only the documents it wrote', async () => {
    const documents = new ReplayDocuments(store, 'things', true, 2);
    documents.remember(new Map([['a', versioned('a', 3)]]));
    expect(await documents.get('a')).toEqual(versioned('a', 3));
    // 'other' was written by another projector of this log: this replay will write it the same way.
    expect(await documents.get('other')).toEqual(never);
  });

  it('reads every document once past its capacity, or when it did not start from the beginning', async () => {
    const documents = new ReplayDocuments(store, 'things', true, 2);
    documents.remember(new Map([['a', versioned('a', 3)]]));
    documents.remember(
      new Map([
        ['b', versioned('b', 4)],
        ['c', never],
      ]),
    );
    expect(await documents.get('other')).toEqual(versioned('other', 7));
    expect(await documents.get('a')).toEqual(versioned('a', 3));
    const resumed = new ReplayDocuments(store, 'things', false, 2);
    expect(await resumed.get('other')).toEqual(versioned('other', 7));
  });
});
