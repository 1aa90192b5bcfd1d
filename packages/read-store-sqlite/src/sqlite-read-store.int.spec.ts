import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ReadStore } from '@ferry/read-store';
import { readStoreContract } from '@ferry/read-store/contract-suite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReadStore } from './sqlite-read-store.ts';

readStoreContract(
  'sqlite',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-read-store-'));
    const file = join(dir, 'read-models.db');
    return {
      file,
      store: createSqliteReadStore({ file }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { reopen: async ({ file }) => createSqliteReadStore({ file }) },
);

describe('SQLite read store over a file from before monotonic writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-read-store-old-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('migrates its collection tables and keeps their documents and checkpoints', async () => {
    const file = join(dir, 'read-models.db');
    const old = new DatabaseSync(file);
    old.exec('CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)');
    old.exec('CREATE TABLE docs_sources (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    old.exec(`INSERT INTO docs_sources VALUES ('a', '{"id":"a","z":1,"b":2}'), ('b', '{"id":"b"}')`);
    old.exec("INSERT INTO checkpoints VALUES ('sources', 12)");
    old.close();

    const store = createSqliteReadStore({ file });
    const second = createSqliteReadStore({ file }); // already migrated: nothing to do
    try {
      expect(JSON.stringify(await store.get('sources', 'a'))).toBe('{"id":"a","z":1,"b":2}');
      expect(await store.checkpoint('sources')).toBe(12);
      await store.commit('sources', 13, [
        { collection: 'sources', op: 'put', doc: { id: 'a', v: 13 } },
        { collection: 'sources', op: 'delete', id: 'b' },
      ]);
      await second.commit('sources', 12, [{ collection: 'sources', op: 'put', doc: { id: 'b', v: 12 } }]);
      expect(await second.find('sources')).toEqual([{ id: 'a', v: 13 }]);
      expect(await store.checkpoint('sources')).toBe(13);
    } finally {
      await store.close();
      await second.close();
    }
  });
});

describe('SQLite read store, batches held with `more`', () => {
  let dir: string;
  let file: string;
  const opened: ReadStore[] = [];
  const open = () => {
    const store = createSqliteReadStore({ file });
    opened.push(store);
    return store;
  };
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const batch = (position: number, id: string, doc: Record<string, unknown> = {}) => [
    {
      projection: 'p',
      position,
      changes: [{ collection: 'docs', op: 'put' as const, doc: { id, ...doc } }],
    },
  ];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-read-store-held-'));
    file = join(dir, 'read-models.db');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('another connection sees held batches only once a batch without `more` lands them', async () => {
    const [writer, other] = [open(), open()];
    await writer.commitAll(batch(1, 'a'), { more: true });
    await writer.commitAll(batch(2, 'b'), { more: true });
    expect(await other.find('docs')).toEqual([]);
    expect(await other.checkpoint('p')).toBe(0);
    await writer.commitAll(batch(3, 'c'));
    await nextTurn(); // the other store's reads of a turn share one snapshot
    expect((await other.find('docs')).map((doc) => doc.id)).toEqual(['a', 'b', 'c']);
    expect(await other.checkpoint('p')).toBe(3);
  });

  it('lands them at the end of the turn at the latest, and after four batches', async () => {
    const writer = open();
    await writer.commitAll(batch(1, 'a'), { more: true });
    await nextTurn();
    expect(await open().get('docs', 'a')).toEqual({ id: 'a' });
    for (const [position, id] of [
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ] as const) {
      await writer.commitAll(batch(position, id), { more: true });
    }
    expect(await open().get('docs', 'b')).toBeNull();
    await writer.commitAll(batch(5, 'e'), { more: true }); // the fourth held
    expect((await open().find('docs')).map((doc) => doc.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a batch that fails changes nothing, and leaves the batches held before it held', async () => {
    const writer = open();
    await writer.commitAll(batch(1, 'a'), { more: true });
    const bad = [...batch(2, 'b'), ...batch(2, 'c', { n: 1n })]; // a bigint: JSON cannot hold it
    await expect(writer.commitAll(bad, { more: true })).rejects.toThrow();
    await expect(writer.commitAll(bad)).rejects.toThrow();
    expect((await writer.find('docs')).map((doc) => doc.id)).toEqual(['a']);
    await writer.commitAll(batch(3, 'd'));
    const other = open();
    expect((await other.find('docs')).map((doc) => doc.id)).toEqual(['a', 'd']);
    expect(await other.checkpoint('p')).toBe(3);
  });

  it('lands them before a commit, a reset, a whole list of texts or a close', async () => {
    const writer = open();
    await writer.commitAll(batch(1, 'a'), { more: true });
    await writer.commit('q', 1, []);
    expect(await open().get('docs', 'a')).toEqual({ id: 'a' });
    await writer.commitAll(batch(2, 'b'), { more: true });
    expect((await writer.findTexts('docs', ['id'])).length).toBe(2);
    expect(await open().get('docs', 'b')).toEqual({ id: 'b' });
    await writer.commitAll(batch(3, 'c'), { more: true });
    await writer.reset('q', ['other']);
    expect(await open().get('docs', 'c')).toEqual({ id: 'c' });
    await writer.commitAll(batch(4, 'd'), { more: true });
    await writer.close();
    expect(await open().get('docs', 'd')).toEqual({ id: 'd' });
  });
});
