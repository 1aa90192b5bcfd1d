import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fixedKeyring, KEY_BYTES, type Keyring, parseKeys, type SecretKey, secretKeyOf } from './keyring.ts';

/** A keyring kept in a file that a rotation rewrites. */
export interface KeyringFile extends Keyring {
  readonly path: string;
  /** Makes `key` the current key; the others stay, to open what they sealed. */
  addCurrent(key: Buffer): SecretKey;
  /** Keeps the current key only; answers the keys it removed. */
  retireOthers(): SecretKey[];
}

const text = (keys: readonly SecretKey[]) => `${keys.map((k) => k.key.toString('hex')).join('\n')}\n`;

/** Replaces the file at once (rename), so a reader sees the old keys or the new ones, never half a file. */
const replace = (path: string, keys: readonly SecretKey[]) => {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, text(keys), { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
};

/** Creates the file with one new key unless it exists; a link cannot overwrite, so two starters agree. */
const createOnce = (path: string) => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, randomBytes(KEY_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
};

const identity = (path: string) => {
  const s = statSync(path);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
};

/**
 * The keyring in `path`: one key a line (64 hex characters), the current one first; a file of one key is
 * what Ferry wrote before keyrings existed. Made with one new key when missing (mode 0600). The file is read
 * again whenever it changed, so every process sharing it follows a rotation while it runs.
 */
export const openKeyringFile = (path: string): KeyringFile => {
  createOnce(path);
  let seen = '';
  let keys: SecretKey[] = [];
  const fresh = () => {
    const now = identity(path);
    if (now !== seen) {
      keys = parseKeys(readFileSync(path, 'utf8'));
      seen = now;
    }
    return fixedKeyring(keys);
  };
  return {
    path,
    current: () => fresh().current(),
    find: (id) => fresh().find(id),
    all: () => fresh().all(),
    addCurrent: (key) => {
      const added = secretKeyOf(key);
      replace(path, [
        added,
        ...fresh()
          .all()
          .filter((k) => k.id !== added.id),
      ]);
      return added;
    },
    retireOthers: () => {
      const [current, ...others] = fresh().all();
      replace(path, [current!]);
      return others;
    },
  };
};
