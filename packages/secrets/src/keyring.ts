import { createHash } from 'node:crypto';

/** One key of a keyring. Its id is derived from the key, so every process names the same key alike. */
export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The keys a sealer may use: the current one seals, each key opens what it sealed. A keyring may change
 * while Ferry runs (a rotation adds a key, then retires the old one), so a sealer asks it every time.
 */
export interface Keyring {
  current(): SecretKey;
  /** The key with this id, or undefined when the keyring has no such key (any more). */
  find(id: string): SecretKey | undefined;
  /** Every key, the current one first. */
  all(): readonly SecretKey[];
}

export const KEY_BYTES = 32;

/** A key with its id: the first 12 hex characters of a hash of the key, which tells nothing of the key. */
export const secretKeyOf = (key: Buffer): SecretKey => {
  if (key.length !== KEY_BYTES) throw new Error(`a secret key must be ${KEY_BYTES} bytes`);
  const id = createHash('sha256').update('ferry-secret-key\u0000').update(key).digest('hex').slice(0, 12);
  return { id, key };
};

/** A key as written in settings and key files: 64 hex characters, or base64 of 32 bytes. */
export const parseKey = (text: string): Buffer => {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) throw new Error('a secret key is 32 bytes: 64 hex characters or base64');
  return key;
};

/** Keys separated by commas or line breaks, the current one first; blank entries are ignored. */
export const parseKeys = (text: string): SecretKey[] => {
  const keys = text
    .split(/[,\n]/)
    .filter((part) => part.trim() !== '')
    .map((part) => secretKeyOf(parseKey(part)));
  if (keys.length === 0) throw new Error('no secret key given');
  return keys;
};

/** A keyring that never changes. */
export const fixedKeyring = (keys: readonly SecretKey[]): Keyring => {
  const [current] = keys;
  if (!current) throw new Error('a keyring needs at least one key');
  return {
    current: () => current,
    find: (id) => keys.find((k) => k.id === id),
    all: () => keys,
  };
};
