import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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
