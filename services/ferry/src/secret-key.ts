import { join } from 'node:path';
import { fixedKeyring, type Keyring, openKeyringFile, parseKeys } from '@ferry/secrets';

/** The keyring file in a data directory: one key a line, the current one first (see openKeyringFile). */
export const keyringFileOf = (dataDir: string) => join(dataDir, 'secret.key');

/**
 * The keys that seal connector secrets. FERRY_SECRET_KEY wins: one key (64 hex characters or base64 of 32
 * bytes), or during a rotation several, comma-separated, the current one first. Otherwise the keyring file
 * in the data directory, made with one key on the first start and followed while Ferry runs, so that
 * `ferry rotate-secret-key` reaches every process sharing the directory. Replicas must share the keys.
 */
export const loadKeyring = (configured: string | undefined, dataDir: string): Keyring => {
  if (!configured) return openKeyringFile(keyringFileOf(dataDir));
  try {
    return fixedKeyring(parseKeys(configured));
  } catch (error) {
    throw new Error(`FERRY_SECRET_KEY: ${(error as Error).message}`);
  }
};
