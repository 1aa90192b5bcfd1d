import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { rewriteSecrets, rewriteWhere, valueAtPath } from './spec-walk.ts';

/** What reads show in place of a secret, and what an update may send back to keep the stored one. */
export const SECRET_MASK = '**********';
const SEALED = '_ferry_sealed';
type Sealed = { [SEALED]: string };

const isSealed = (v: unknown): v is Sealed =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[SEALED] === 'string';

/**
 * Seals secrets with AES-256-GCM so that events and read models never hold them in plain text
 * (ARCHITECTURE.md, invariant 1). The key comes from FERRY_SECRET_KEY or a file in the data directory.
 */
export interface SecretSealer {
  /** Seals every `airbyte_secret` value; a masked value keeps the one in `previous` (already sealed). */
  seal(
    configuration: Record<string, unknown>,
    spec: unknown,
    previous?: Record<string, unknown>,
  ): Record<string, unknown>;
  /** The plain configuration, for validation and for the connector that needs it. */
  unseal(configuration: Record<string, unknown>): Record<string, unknown>;
  /** The plain values of every sealed secret, as text, so logs can be scrubbed of them. */
  secretValues(configuration: Record<string, unknown>): string[];
}

export const mask = (configuration: Record<string, unknown>): Record<string, unknown> =>
  rewriteWhere(configuration, isSealed, () => SECRET_MASK) as Record<string, unknown>;

export const createSecretSealer = (key: Buffer): SecretSealer => {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  const encrypt = (value: unknown): Sealed => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return {
      [SEALED]: ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
        .join(':'),
    };
  };
  const decrypt = (sealed: Sealed): unknown => {
    const [, iv, tag, body] = sealed[SEALED].split(':').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAuthTag(tag!);
    return JSON.parse(Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8'));
  };
  return {
    seal: (configuration, spec, previous) =>
      rewriteSecrets(configuration, spec, (value, path) => {
        if (value === SECRET_MASK && previous) {
          const kept = valueAtPath(previous, path);
          if (isSealed(kept)) return kept;
        }
        return encrypt(value);
      }) as Record<string, unknown>,
    unseal: (configuration) =>
      rewriteWhere(configuration, isSealed, (v) => decrypt(v as Sealed)) as Record<string, unknown>,
    secretValues: (configuration) => {
      const values: string[] = [];
      rewriteWhere(configuration, isSealed, (v) => {
        const plain = decrypt(v as Sealed);
        values.push(typeof plain === 'string' ? plain : JSON.stringify(plain));
        return v;
      });
      return values;
    },
  };
};
