import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring, SecretKey } from './keyring.ts';
import { rewriteSecrets, rewriteWhere, valueAtPath } from './spec-walk.ts';

/** What reads show in place of a secret, and what an update may send back to keep the stored one. */
export const SECRET_MASK = '**********';
const SEALED = '_ferry_sealed';
type Sealed = { [SEALED]: string };

const isSealed = (v: unknown): v is Sealed =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[SEALED] === 'string';

/** No key of the keyring opens a sealed value: the key that sealed it was never given, or was retired. */
export class SecretKeyMissingError extends Error {
  override readonly name = 'SecretKeyMissingError';
  readonly code = 'secrets.key_missing';
  readonly keyId: string | null;
  constructor(keyId: string | null) {
    super(
      `no secret key opens a value sealed under ${keyId === null ? 'the first (v1) key' : `key ${keyId}`}`,
    );
    this.keyId = keyId;
  }
}

/**
 * Seals secrets with AES-256-GCM so that events, read models and bus messages never hold them in plain
 * text (ARCHITECTURE.md, invariants 1 and 5). A sealed value is `{"_ferry_sealed": "v2:<keyId>:<iv>:<tag>:
 * <ciphertext>"}`; `v1:<iv>:<tag>:<ciphertext>`, written before keys had ids, is still read.
 */
export interface SecretSealer {
  /** Seals every `airbyte_secret` value; a masked value keeps the one in `previous` (already sealed). */
  seal(
    configuration: Record<string, unknown>,
    spec: unknown,
    previous?: Record<string, unknown>,
  ): Record<string, unknown>;
  /** The plain configuration: for validation, and for the connector that needs it, right before it runs. */
  unseal(configuration: Record<string, unknown>): Record<string, unknown>;
  /** The plain values of every sealed secret, as text, so logs can be scrubbed of them. */
  secretValues(configuration: Record<string, unknown>): string[];
  /** Whether a sealed value in it was sealed under another key than the current one. */
  needsReseal(configuration: Record<string, unknown>): boolean;
  /** Every sealed value that is not under the current key, sealed again under it. */
  reseal(configuration: Record<string, unknown>): Record<string, unknown>;
}

export const mask = (configuration: Record<string, unknown>): Record<string, unknown> =>
  rewriteWhere(configuration, isSealed, () => SECRET_MASK) as Record<string, unknown>;

const encrypt = ({ id, key }: SecretKey, value: unknown): Sealed => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((p) => p.toString('base64'));
  return { [SEALED]: ['v2', id, ...parts].join(':') };
};

const decrypt = (key: Buffer, [iv, tag, body]: readonly string[]): unknown => {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64'));
  decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
};

/** The id of the key a value was sealed under; null for a `v1` value, which names none. */
const keyIdOf = (sealed: Sealed): string | null => {
  const [version, id] = sealed[SEALED].split(':');
  return version === 'v2' ? (id ?? null) : null;
};

const open = (keyring: Keyring, sealed: Sealed): unknown => {
  const [version, ...rest] = sealed[SEALED].split(':');
  if (version === 'v2') {
    const [id = '', ...parts] = rest;
    const key = keyring.find(id);
    if (!key) throw new SecretKeyMissingError(id);
    return decrypt(key.key, parts);
  }
  // A v1 value names no key: the one that sealed it is the one whose GCM tag checks.
  for (const { key } of keyring.all()) {
    try {
      return decrypt(key, rest);
    } catch {
      // not this key: try the next
    }
  }
  throw new SecretKeyMissingError(null);
};

export const createSecretSealer = (keyring: Keyring): SecretSealer => {
  const notCurrent = (v: unknown) => isSealed(v) && keyIdOf(v) !== keyring.current().id;
  return {
    seal: (configuration, spec, previous) =>
      rewriteSecrets(configuration, spec, (value, path) => {
        if (value === SECRET_MASK && previous) {
          const kept = valueAtPath(previous, path);
          if (isSealed(kept)) return kept;
        }
        return encrypt(keyring.current(), value);
      }) as Record<string, unknown>,
    unseal: (configuration) =>
      rewriteWhere(configuration, isSealed, (v) => open(keyring, v as Sealed)) as Record<string, unknown>,
    secretValues: (configuration) => {
      const values: string[] = [];
      rewriteWhere(configuration, isSealed, (v) => {
        const plain = open(keyring, v as Sealed);
        values.push(typeof plain === 'string' ? plain : JSON.stringify(plain));
        return v;
      });
      return values;
    },
    needsReseal: (configuration) => {
      let found = false;
      rewriteWhere(configuration, notCurrent, (v) => {
        found = true;
        return v;
      });
      return found;
    },
    reseal: (configuration) =>
      rewriteWhere(configuration, notCurrent, (v) =>
        encrypt(keyring.current(), open(keyring, v as Sealed)),
      ) as Record<string, unknown>,
  };
};
