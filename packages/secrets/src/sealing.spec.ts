import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretSealer, mask, SECRET_MASK } from './sealing.ts';

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
const plain = {
  host: 'db',
  password: 'hunter2',
  tunnel: { ssh_key: 'KEY' },
  keys: [{ token: 't1' }, { token: 't2' }],
};

describe('secret sealing', () => {
  const sealer = createSecretSealer(randomBytes(32));
  it('seals every airbyte_secret at any depth so the plain text appears nowhere', () => {
    const sealed = sealer.seal(plain, spec);
    const text = JSON.stringify(sealed);
    for (const secret of ['hunter2', 'KEY', 't1', 't2']) expect(text).not.toContain(secret);
    expect(sealed.host).toBe('db');
    expect(sealer.unseal(sealed)).toEqual(plain);
    expect(sealer.secretValues(sealed).sort()).toEqual(['KEY', 'hunter2', 't1', 't2']);
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
