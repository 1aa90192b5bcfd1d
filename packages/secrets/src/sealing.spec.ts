import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedKeyring, secretKeyOf } from './keyring.ts';
import { createSecretSealer, mask, SECRET_MASK, SecretKeyMissingError } from './sealing.ts';

const spec = {
  type: 'object',
  properties: {
    host: { type: 'string' },
    password: { type: 'string', airbyte_secret: true },
    tunnel: {
      oneOf: [
        { properties: { method: { const: 'NONE' } } },
        { properties: { ssh_key: { type: 'string', airbyte_secret: true } } },
      ],
    },
    keys: {
      type: 'array',
      items: { type: 'object', properties: { token: { type: 'string', airbyte_secret: true } } },
    },
  },
};
// Each secret holds a '-', which base64 never emits, so a ciphertext cannot contain one by chance.
const plain = {
  host: 'db',
  password: 'pass-hunter2',
  tunnel: { ssh_key: 'ssh-KEY' },
  keys: [{ token: 'token-1' }, { token: 'token-2' }],
};

describe('secret sealing', () => {
  const sealer = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
  it('seals every airbyte_secret at any depth so the plain text appears nowhere', () => {
    const sealed = sealer.seal(plain, spec);
    const text = JSON.stringify(sealed);
    for (const secret of ['pass-hunter2', 'ssh-KEY', 'token-1', 'token-2'])
      expect(text).not.toContain(secret);
    expect(sealed.host).toBe('db');
    expect(sealer.unseal(sealed)).toEqual(plain);
    expect(sealer.secretValues(sealed).sort()).toEqual(['pass-hunter2', 'ssh-KEY', 'token-1', 'token-2']);
  });
  it('masks sealed values on the way out', () => {
    expect(mask(sealer.seal(plain, spec))).toEqual({
      host: 'db',
      password: SECRET_MASK,
      tunnel: { ssh_key: SECRET_MASK },
      keys: [{ token: SECRET_MASK }, { token: SECRET_MASK }],
    });
  });
  it('keeps the stored secret when an update sends the mask back', () => {
    const stored = sealer.seal(plain, spec);
    const updated = sealer.seal({ ...plain, host: 'db2', password: SECRET_MASK }, spec, stored);
    expect(sealer.unseal(updated)).toEqual({ ...plain, host: 'db2' });
  });
});

/** A value as Ferry sealed it before keys had ids: `v1:<iv>:<tag>:<ciphertext>`. */
const sealV1 = (key: Buffer, value: unknown) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { _ferry_sealed: ['v1', iv, cipher.getAuthTag(), body].map((p) => p.toString('base64')).join(':') };
};

describe('secret keys', () => {
  const a = secretKeyOf(randomBytes(32));
  const b = secretKeyOf(randomBytes(32));
  it('names the key a value was sealed under', () => {
    const sealed = createSecretSealer(fixedKeyring([a])).seal(plain, spec);
    expect((sealed.password as { _ferry_sealed: string })._ferry_sealed).toMatch(new RegExp(`^v2:${a.id}:`));
  });
  it('opens values of every key of the keyring and reseals them under the current one', () => {
    const underA = createSecretSealer(fixedKeyring([a])).seal(plain, spec);
    const rotating = createSecretSealer(fixedKeyring([b, a]));
    expect(rotating.needsReseal(underA)).toBe(true);
    const underB = rotating.reseal(underA);
    expect(rotating.needsReseal(underB)).toBe(false);
    expect(JSON.stringify(underB)).not.toContain(a.id);
    const withoutA = createSecretSealer(fixedKeyring([b]));
    expect(withoutA.unseal(underB)).toEqual(plain);
    expect(() => withoutA.unseal(underA)).toThrow(SecretKeyMissingError);
  });
  it('still reads v1 values, which name no key, and reseals them', () => {
    const old = { ...plain, password: sealV1(a.key, 'pass-hunter2') };
    const sealer = createSecretSealer(fixedKeyring([b, a]));
    expect(sealer.unseal(old)).toEqual(plain);
    expect(sealer.needsReseal(old)).toBe(true);
    expect(createSecretSealer(fixedKeyring([b])).unseal(sealer.reseal(old))).toEqual(plain);
    expect(() => createSecretSealer(fixedKeyring([b])).unseal(old)).toThrow(SecretKeyMissingError);
  });
});
