import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that seals connector secrets. FERRY_SECRET_KEY (64 hex chars or base64 of 32 bytes) wins;
 * otherwise a key is made once and kept, mode 0600, in the data directory. Replicas must share it.
 */
export const loadSecretKey = (configured: string | undefined, dataDir: string): Buffer => {
  if (configured) {
    const key = /^[0-9a-f]{64}$/i.test(configured)
      ? Buffer.from(configured, 'hex')
      : Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('FERRY_SECRET_KEY must be 32 bytes: 64 hex characters or base64');
    return key;
  }
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
};
