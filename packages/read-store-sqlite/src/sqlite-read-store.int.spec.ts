import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ReadStore } from '@ferry/read-store';
import { readStoreContract } from '@ferry/read-store/contract-suite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  it('another connection sees them soon after the turn that sent them ends', async () => {
    const writer = open();
    await writer.commitAll(batch(1, 'a'), { more: true });
    const other = open();
    await vi.waitFor(async () => {
      await nextTurn(); // the other store's reads of a turn share one snapshot
      expect(await other.get('docs', 'a')).toEqual({ id: 'a' });
    });
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

describe('SQLite read store, a catch-up written on a thread of its own', () => {
  let dir: string;
  let file: string;
  let store: ReadStore;
  const page = (position: number, ids: string[], projection = 'p') => [
    {
      projection,
      position,
      changes: ids.map((id) => ({ collection: 'docs', op: 'put' as const, doc: { id, at: position } })),
    },
  ];
  /** The threads of this process (the catch-up writer's is one of them while it runs). */
  const threads = () => readdirSync('/proc/self/task').length;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-read-store-thread-'));
    file = join(dir, 'read-models.db');
    store = createSqliteReadStore({ file });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads its own writes while pages are still in flight, then lands them all', async () => {
    for (let position = 1; position <= 40; position += 1) {
      await store.commitAll(page(position, [`d${position}`, 'shared']), { more: true });
      // Each page reads what the pages before it wrote, as a catch-up's fold does.
      expect(await store.getVersioned('docs', 'shared')).toEqual({
        doc: { id: 'shared', at: position },
        position,
      });
      expect(await store.get('docs', `d${position}`)).toEqual({ id: `d${position}`, at: position });
    }
    await store.commitAll(
      [{ projection: 'p', position: 41, changes: [{ collection: 'docs', op: 'delete', id: 'd1' }] }],
      { more: true },
    );
    expect(await store.get('docs', 'd1')).toBeNull();
    expect(await store.getVersioned('docs', 'd1')).toEqual({ doc: null, position: 41 });
    expect(await store.checkpoint('p')).toBe(41);
    expect((await store.find('docs')).length).toBe(40);
    const other = createSqliteReadStore({ file });
    try {
      expect((await other.find('docs')).length).toBe(40);
      expect(await other.get('docs', 'shared')).toEqual({ id: 'shared', at: 40 });
      expect(await other.checkpoint('p')).toBe(41);
    } finally {
      await other.close();
    }
  });

  it('starts the thread with a full page and ends it with the catch-up', async () => {
    const before = threads();
    await store.commitAll(page(1, ['a']), { more: true });
    expect(threads()).toBe(before + 1);
    await store.commitAll(page(2, ['b'])); // the catch-up's last page
    expect(threads()).toBe(before);
    await store.commit('q', 1, []); // a live commit starts none
    expect(threads()).toBe(before);
    expect((await store.find('docs')).map((doc) => doc.id)).toEqual(['a', 'b']);
  });

  it('fails the projections of the batches a failure on the thread lost, and only theirs', async () => {
    const setup = new DatabaseSync(file);
    setup.exec('CREATE TABLE docs_docs (id TEXT PRIMARY KEY, doc TEXT, position INTEGER NOT NULL)');
    setup.exec(
      "CREATE TRIGGER refused BEFORE INSERT ON docs_docs WHEN NEW.id = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the file'); END",
    );
    setup.close();
    await store.commitAll([...page(1, ['a']), ...page(1, [], 'q')], { more: true });
    await store.commitAll(page(2, ['refused']), { more: true });
    await expect(store.commitAll(page(3, ['b']))).rejects.toThrow('refused by the file');
    await expect(store.commitAll(page(4, ['c']), { more: true })).rejects.toThrow('refused by the file');
    // q's batch was lost with p's: it fails too; a projection of no lost batch commits.
    await expect(store.commit('q', 5, [])).rejects.toThrow('refused by the file');
    await store.commit('r', 5, []);
    expect(await store.find('docs')).toEqual([]);
    expect(await store.get('docs', 'a')).toBeNull();
    expect(await store.checkpoint('p')).toBe(0);
    // A reset projection starts over.
    await store.reset('p', ['docs']);
    await store.commitAll(page(6, ['d']));
    expect(await store.get('docs', 'd')).toEqual({ id: 'd', at: 6 });
  });
});
