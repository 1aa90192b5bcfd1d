import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from '@ferry/read-store/contract-suite';
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
